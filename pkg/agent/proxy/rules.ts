import { masqMark, type Chains } from './chains.ts';
import type { Backend, ServicePortPlan } from './model.ts';

/** Where the node's rules apply: its pods' bridge and pod CIDR. */
export interface RuleContext {
  chains: Chains;
  /** The Linux bridge of the node's pods: only their traffic sees this node's cluster IPs. */
  bridge: string;
  /** The node's pod CIDR: traffic to a cluster IP from elsewhere is masqueraded. */
  podCIDR: string;
  /**
   * Where forwarded traffic is judged: Docker's DOCKER-USER when it exists (FORWARD by default).
   * Docker puts its own jumps back at the top of FORWARD whenever it makes a network, and its
   * isolation rules would drop service traffic between two nodes' bridges before skiff's.
   */
  forwardChain?: 'FORWARD' | 'DOCKER-USER';
}

/** A rule in a built-in chain that leads into the node's chains (kept in place, never flushed). */
export interface Jump {
  table: 'nat' | 'filter';
  chain: 'PREROUTING' | 'OUTPUT' | 'POSTROUTING' | 'INPUT' | 'FORWARD' | 'DOCKER-USER';
  args: string[];
}

const comment = (text: string) => `-m comment --comment "${text.replace(/["\\]/g, '')}"`;
const match = (p: ServicePortPlan, port: number) => `-p ${p.protocol} -m ${p.protocol} --dport ${port}`;

/**
 * The jumps from the built-in chains into the node's chains (kube-proxy's, with the node's
 * bridge): cluster IPs for the node's own pods and the host, node ports and external IPs for
 * local destinations from anywhere.
 */
export function builtinJumps(ctx: RuleContext): Jump[] {
  const c = ctx.chains;
  const fwd = ctx.forwardChain ?? 'FORWARD';
  const tag = (what: string) => ['-m', 'comment', '--comment', `skiff ${c.tag} ${what}`];
  return [
    { table: 'nat', chain: 'PREROUTING', args: [...tag('service portals'), '-i', ctx.bridge, '-j', c.services] },
    { table: 'nat', chain: 'PREROUTING', args: [...tag('service portals'), '!', '-i', ctx.bridge, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', c.services] },
    { table: 'nat', chain: 'OUTPUT', args: [...tag('service portals'), '-j', c.services] },
    { table: 'nat', chain: 'POSTROUTING', args: [...tag('postrouting rules'), '-j', c.postrouting] },
    { table: 'filter', chain: fwd, args: [...tag('forwarding rules'), '-j', c.forward] },
    { table: 'filter', chain: fwd, args: [...tag('service portals'), '-i', ctx.bridge, '-m', 'conntrack', '--ctstate', 'NEW', '-j', c.filterServices] },
    { table: 'filter', chain: 'OUTPUT', args: [...tag('service portals'), '-m', 'conntrack', '--ctstate', 'NEW', '-j', c.filterServices] },
    { table: 'filter', chain: 'INPUT', args: [...tag('external services'), '-m', 'conntrack', '--ctstate', 'NEW', '-j', c.filterExternal] },
  ];
}

/**
 * The whole of the node's chains as `iptables-restore --noflush` input (nat and filter): each
 * chain is declared (so flushed) and rewritten, and chains of the node no longer wanted
 * (`existing` minus the new ones) are deleted in the same transaction. Pure: the same plans give
 * the same text, so an unchanged cluster can skip the restore.
 *
 * Per service port, as kube-proxy's iptables mode: the cluster IP jumps to SVC, which picks a
 * backend SEP with `statistic --mode random` (probability 1/n, 1/(n-1), …, the last always), or
 * first the backend a client used within the affinity timeout (`recent`). Node ports and external
 * IPs (LoadBalancer ingress, externalIPs) jump to EXT: masquerade, then SVC — or with
 * externalTrafficPolicy Local, the node's own backends (SVL) unmasqueraded, while pods and the
 * host itself still get every backend. A backend reaching its own service is masqueraded
 * (hairpin). A service port without backends is REJECTed in the filter table; one whose external
 * traffic has no local backend is DROPped.
 */
export function renderRules(plans: ServicePortPlan[], ctx: RuleContext, existing: { nat: string[]; filter: string[] } = { nat: [], filter: [] }): string {
  const c = ctx.chains;
  const natChains = new Set([c.services, c.nodePorts, c.postrouting, c.markMasq]);
  const nat: string[] = [
    `-A ${c.markMasq} -j MARK --or-mark ${masqMark.split('/')[0]}`,
    `-A ${c.postrouting} -m mark ! --mark ${masqMark} -j RETURN`,
    `-A ${c.postrouting} -j MARK --xor-mark ${masqMark.split('/')[0]}`,
    `-A ${c.postrouting} ${comment('skiff service traffic requiring SNAT')} -j MASQUERADE`,
  ];
  const filterChains = new Set([c.filterServices, c.filterExternal, c.forward]);
  const filter: string[] = [
    `-A ${c.forward} ${comment('skiff forwarding rules')} -m mark --mark ${masqMark} -j ACCEPT`,
    `-A ${c.forward} ${comment('skiff forwarding to service backends')} -o ${ctx.bridge} -m conntrack --ctstate DNAT -j ACCEPT`,
    `-A ${c.forward} ${comment('skiff forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  ];
  const nodePortRules: string[] = [];

  for (const p of plans) {
    const svc = c.svc(p.name);
    const ext = c.ext(p.name);
    const hasExternal = p.nodePort > 0 || p.externalIPs.length > 0;
    if (!p.backends.length) {
      filter.push(`-A ${c.filterServices} ${comment(`${p.name} has no endpoints`)} -d ${p.clusterIP}/32 ${match(p, p.port)} -j REJECT --reject-with icmp-port-unreachable`);
      for (const ip of p.externalIPs) filter.push(`-A ${c.filterExternal} ${comment(`${p.name} has no endpoints`)} -d ${ip}/32 ${match(p, p.port)} -j REJECT --reject-with icmp-port-unreachable`);
      if (p.nodePort) filter.push(`-A ${c.filterExternal} ${comment(`${p.name} has no endpoints`)} -m addrtype --dst-type LOCAL ${match(p, p.nodePort)} -j REJECT --reject-with icmp-port-unreachable`);
      continue;
    }
    natChains.add(svc);
    nat.push(`-A ${c.services} ${comment(`${p.name} cluster IP`)} -d ${p.clusterIP}/32 ${match(p, p.port)} -j ${svc}`);
    nat.push(`-A ${svc} ${comment(`${p.name} cluster IP`)} ! -s ${ctx.podCIDR} -d ${p.clusterIP}/32 ${match(p, p.port)} -j ${c.markMasq}`);
    nat.push(...balance(svc, p, p.backends, ctx));
    for (const b of p.backends) {
      const sep = c.sep(p.name, b.ip, b.port, p.protocol);
      natChains.add(sep);
      nat.push(`-A ${sep} ${comment(p.name)} -s ${b.ip}/32 -j ${c.markMasq}`);
      const remember = p.affinitySeconds ? ` -m recent --set --name ${sep} --mask 255.255.255.255 --rsource` : '';
      nat.push(`-A ${sep} ${comment(p.name)} -p ${p.protocol}${remember} -m ${p.protocol} -j DNAT --to-destination ${b.ip}:${b.port}`);
    }
    if (!hasExternal) continue;

    natChains.add(ext);
    for (const ip of p.externalIPs) nat.push(`-A ${c.services} ${comment(`${p.name} external IP`)} -d ${ip}/32 ${match(p, p.port)} -j ${ext}`);
    if (p.nodePort) nodePortRules.push(`-A ${c.nodePorts} ${comment(p.name)} ${match(p, p.nodePort)} -j ${ext}`);
    if (!p.localOnly) {
      nat.push(`-A ${ext} ${comment(`masquerade traffic for ${p.name} external destinations`)} -j ${c.markMasq}`, `-A ${ext} -j ${svc}`);
      continue;
    }
    nat.push(`-A ${ext} ${comment(`pod traffic for ${p.name} external destinations`)} -s ${ctx.podCIDR} -j ${svc}`);
    nat.push(`-A ${ext} ${comment(`masquerade LOCAL traffic for ${p.name} external destinations`)} -m addrtype --src-type LOCAL -j ${c.markMasq}`);
    nat.push(`-A ${ext} ${comment(`route LOCAL traffic for ${p.name} external destinations`)} -m addrtype --src-type LOCAL -j ${svc}`);
    const local = p.backends.filter((b) => b.local);
    if (local.length) {
      const svl = c.local(p.name);
      natChains.add(svl);
      nat.push(`-A ${ext} -j ${svl}`, ...balance(svl, p, local, ctx));
    } else {
      for (const ip of p.externalIPs) filter.push(`-A ${c.filterExternal} ${comment(`${p.name} has no local endpoints`)} -d ${ip}/32 ${match(p, p.port)} -j DROP`);
      if (p.nodePort) filter.push(`-A ${c.filterExternal} ${comment(`${p.name} has no local endpoints`)} -m addrtype --dst-type LOCAL ${match(p, p.nodePort)} -j DROP`);
    }
  }
  // Loopback is left out: a node port DNATed from 127.0.0.1 would need route_localnet on the host.
  nat.push(...nodePortRules, `-A ${c.services} ${comment('skiff service nodeports; NOTE: this must be the last rule in this chain')} ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j ${c.nodePorts}`);

  return [
    '*nat',
    ...section(natChains, existing.nat, nat),
    '*filter',
    ...section(filterChains, existing.filter, filter),
    '',
  ].join('\n');
}

/** Declarations, rules, deletions of stale chains, COMMIT. */
function section(chains: Set<string>, existing: string[], rules: string[]): string[] {
  const stale = existing.filter((x) => !chains.has(x)).sort();
  return [
    ...[...chains, ...stale].map((x) => `:${x} - [0:0]`),
    ...rules,
    ...stale.map((x) => `-X ${x}`),
    'COMMIT',
  ];
}

/** Affinity checks first (a client returns to its backend), then the random pick, 1/n at a time. */
function balance(chain: string, p: ServicePortPlan, backends: Backend[], ctx: RuleContext): string[] {
  const out: string[] = [];
  const seps = backends.map((b) => ctx.chains.sep(p.name, b.ip, b.port, p.protocol));
  if (p.affinitySeconds) {
    for (const sep of seps) out.push(`-A ${chain} ${comment(p.name)} -m recent --name ${sep} --mask 255.255.255.255 --rsource --rcheck --seconds ${p.affinitySeconds} --reap -j ${sep}`);
  }
  seps.forEach((sep, i) => {
    const left = seps.length - i;
    const pick = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : '';
    out.push(`-A ${chain} ${comment(`${p.name} -> ${backends[i]!.ip}:${backends[i]!.port}`)}${pick} -j ${sep}`);
  });
  return out;
}
