import type { core } from '../../api/types/index.ts';
import { isLoopback, type ResolvConf } from '../dns/resolv-conf.ts';

/** What the agent knows to form a pod's resolv.conf (the kubelet's --cluster-domain, --cluster-dns, --resolv-conf). */
export interface PodDnsContext {
  clusterDomain: string;
  /** The node's cluster DNS address; undefined when it does not run. */
  nameserver?: string;
  host: ResolvConf;
}

/** The kubelet's limits (validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
const maxNameservers = 3;
const maxSearches = 32;
const maxSearchChars = 2048;

/**
 * A pod's resolv.conf, as the kubelet forms it (pkg/kubelet/network/dns):
 * - ClusterFirst (hostNetwork: only with ClusterFirstWithHostNet): the node's DNS, searches
 *   `<ns>.svc.<domain> svc.<domain> <domain>` then the host's, `options ndots:5`.
 * - Default, and ClusterFirst with hostNetwork: the host's. Loopback servers (a systemd-resolved
 *   stub) cannot be reached from a pod's own network namespace, so they are left out there; when
 *   none remains, the node's DNS stands in, which forwards to them from the host.
 * - None: only dnsConfig.
 * dnsConfig is then merged as upstream: nameservers and searches appended without duplicates,
 * options merged by name with dnsConfig's winning. `warnings` say what the kubelet's limits cut
 * (its DNSConfigForming event).
 */
export function podResolvConf(pod: core.Pod, ctx: PodDnsContext): { conf: ResolvConf; warnings: string[] } {
  const hostNetwork = pod.spec?.hostNetwork === true;
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  let kind: 'cluster' | 'host' | 'none' =
    policy === 'None' ? 'none' : policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !hostNetwork) ? 'cluster' : 'host';
  const warnings: string[] = [];
  if (kind === 'cluster' && !ctx.nameserver) {
    warnings.push('pod: "' + (pod.metadata?.name ?? '') + '". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.');
    kind = 'host';
  }
  let conf: ResolvConf;
  if (kind === 'cluster') {
    const d = ctx.clusterDomain;
    conf = { nameservers: [ctx.nameserver!], searches: unique([`${pod.metadata?.namespace ?? 'default'}.svc.${d}`, `svc.${d}`, d, ...ctx.host.searches]), options: ['ndots:5'] };
  } else if (kind === 'host') {
    let servers = hostNetwork ? ctx.host.nameservers : ctx.host.nameservers.filter((n) => !isLoopback(n));
    if (!servers.length && ctx.nameserver) servers = [ctx.nameserver];
    conf = { nameservers: servers, searches: [...ctx.host.searches], options: [...ctx.host.options] };
  } else {
    conf = { nameservers: [], searches: [], options: [] };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    conf.nameservers = unique([...conf.nameservers, ...(extra.nameservers ?? [])]);
    conf.searches = unique([...conf.searches, ...(extra.searches ?? [])]);
    conf.options = mergeOptions(conf.options, extra.options ?? []);
  }
  return { conf: fitLimits(conf, warnings), warnings };
}

const unique = (xs: string[]) => [...new Set(xs.filter(Boolean))];

function mergeOptions(existing: string[], extra: core.PodDNSConfigOption[]): string[] {
  const byName = new Map<string, string>();
  for (const o of existing) {
    const i = o.indexOf(':');
    if (i < 0) byName.set(o, '');
    else byName.set(o.slice(0, i), o.slice(i + 1));
  }
  for (const o of extra) if (o.name) byName.set(o.name, o.value ?? '');
  return [...byName].map(([k, v]) => (v ? `${k}:${v}` : k));
}

function fitLimits(conf: ResolvConf, warnings: string[]): ResolvConf {
  if (conf.nameservers.length > maxNameservers) {
    conf.nameservers = conf.nameservers.slice(0, maxNameservers);
    warnings.push(`Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${conf.nameservers.join(' ')}`);
  }
  let searches = conf.searches.slice(0, maxSearches);
  while (searches.join(' ').length > maxSearchChars) searches = searches.slice(0, -1);
  if (searches.length < conf.searches.length) {
    warnings.push(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`);
    conf.searches = searches;
  }
  return conf;
}
