import { describe, expect, it } from 'vitest';
import { builtinJumps, chainsFor, planServices, renderRules, type RuleContext } from '../../../pkg/agent/proxy/index.ts';
import type { core, discovery } from '../../../pkg/api/types/index.ts';

const svc = (name: string, spec: core.ServiceSpec, status?: core.ServiceStatus): core.Service => ({ metadata: { namespace: 'default', name }, spec, ...(status ? { status } : {}) });
const ep = (ip: string, node: string, ready = true): discovery.Endpoint => ({ addresses: [ip], nodeName: node, conditions: { ready } });
const slice = (svcName: string, endpoints: discovery.Endpoint[], ports: discovery.EndpointPort[]): discovery.EndpointSlice => ({
  metadata: { namespace: 'default', name: `${svcName}-x`, labels: { 'kubernetes.io/service-name': svcName } }, addressType: 'IPv4', endpoints, ports,
});
const slicesFrom = (all: discovery.EndpointSlice[]) => (ns: string, name: string) => all.filter((s) => s.metadata?.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === name);

const ctx: RuleContext = { chains: chainsFor('0123abcd'), bridge: 'skiff0123abcd', podCIDR: '10.42.0.0/24' };
const c = ctx.chains;
const web = svc('web', { clusterIP: '10.43.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] });
const webSlice = slice('web', [ep('10.42.0.7', 'n1'), ep('10.42.0.5', 'n1'), ep('10.42.1.6', 'n2'), ep('10.42.0.9', 'n1', false)], [{ name: 'http', port: 8080, protocol: 'TCP' }]);
const lines = (text: string, chain: string) => text.split('\n').filter((l) => l.startsWith(`-A ${chain} `));

describe('planServices', () => {
  it('keeps ready endpoints whose slice port matches by name and protocol, sorted by address, marking the local ones', () => {
    const plans = planServices([web], slicesFrom([webSlice, slice('web', [ep('10.42.0.20', 'n1')], [{ name: 'other', port: 9, protocol: 'TCP' }])]), 'n1');
    expect(plans).toEqual([{
      name: 'default/web:http', protocol: 'tcp', clusterIP: '10.43.0.10', port: 80, nodePort: 0, externalIPs: [], localOnly: false, affinitySeconds: 0,
      backends: [{ ip: '10.42.0.5', port: 8080, local: true }, { ip: '10.42.0.7', port: 8080, local: true }, { ip: '10.42.1.6', port: 8080, local: false }],
    }]);
  });

  it('skips headless, ExternalName and IP-less services; names unnamed ports by number; ClientIP affinity defaults to 10800 s', () => {
    const plans = planServices([
      svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
      svc('ext', { type: 'ExternalName', externalName: 'example.org' }),
      svc('pending', { ports: [{ port: 80 }] }),
      svc('dns', { clusterIP: '10.43.0.53', sessionAffinity: 'ClientIP', ports: [{ port: 53, protocol: 'UDP' }] }),
    ], slicesFrom([]), 'n1');
    expect(plans.map((p) => [p.name, p.protocol, p.affinitySeconds, p.backends.length])).toEqual([['default/dns:53', 'udp', 10800, 0]]);
  });

  it('gives LoadBalancer services their ingress IPs and externalIPs, and node ports only to NodePort and LoadBalancer', () => {
    const plans = planServices([
      svc('lb', { type: 'LoadBalancer', clusterIP: '10.43.0.11', externalTrafficPolicy: 'Local', externalIPs: ['198.51.100.7'], ports: [{ port: 80, nodePort: 30080 }] },
        { loadBalancer: { ingress: [{ ip: '192.0.2.2' }, { hostname: 'lb.example' }] } }),
      svc('cip', { clusterIP: '10.43.0.12', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30081 }] }),
    ], slicesFrom([]), 'n1');
    expect(plans.map((p) => [p.name, p.nodePort, p.externalIPs, p.localOnly])).toEqual([
      ['default/cip:80', 0, [], false],
      ['default/lb:80', 30080, ['192.0.2.2', '198.51.100.7'], true],
    ]);
  });
  it('drops values iptables would refuse (ports out of range, bad addresses, loopback endpoints) rather than failing every rule', () => {
    const bad = svc('bad', { type: 'NodePort', clusterIP: '10.43.0.300', ports: [{ port: 80 }] });
    const odd = svc('odd', { type: 'NodePort', clusterIP: '10.43.0.13', externalIPs: ['not-an-ip'], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: -5 } },
      ports: [{ name: 'a', port: 70000 }, { name: 'b', port: 81, nodePort: 99999 }] });
    const plans = planServices([bad, odd], slicesFrom([slice('odd', [ep('10.42.0.5', 'n1'), ep('127.0.0.1', 'n1'), ep('10.42.0.6', 'n1')], [{ name: 'b', port: 0 }]),
      slice('odd', [ep('10.42.0.8', 'n1')], [{ name: 'b', port: 8081 }])]), 'n1');
    expect(plans.map((p) => [p.name, p.port, p.nodePort, p.externalIPs, p.affinitySeconds, p.backends.map((x) => `${x.ip}:${x.port}`)])).toEqual([
      ['default/odd:b', 81, 0, [], 10800, ['10.42.0.8:8081']],
    ]);
  });
});

describe('renderRules', () => {
  it('sends the cluster IP to one backend at random with kube-proxy\'s probabilities and DNATs in each backend chain', () => {
    const text = renderRules(planServices([web], slicesFrom([webSlice]), 'n1'), ctx);
    const svcChain = c.svc('default/web:http');
    expect(lines(text, c.services)[0]).toBe(`-A ${c.services} -m comment --comment "default/web:http cluster IP" -d 10.43.0.10/32 -p tcp -m tcp --dport 80 -j ${svcChain}`);
    const sep = ['10.42.0.5', '10.42.0.7', '10.42.1.6'].map((ip) => c.sep('default/web:http', ip, 8080, 'tcp'));
    expect(lines(text, svcChain)).toEqual([
      `-A ${svcChain} -m comment --comment "default/web:http cluster IP" ! -s 10.42.0.0/24 -d 10.43.0.10/32 -p tcp -m tcp --dport 80 -j ${c.markMasq}`,
      `-A ${svcChain} -m comment --comment "default/web:http -> 10.42.0.5:8080" -m statistic --mode random --probability 0.3333333333 -j ${sep[0]}`,
      `-A ${svcChain} -m comment --comment "default/web:http -> 10.42.0.7:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep[1]}`,
      `-A ${svcChain} -m comment --comment "default/web:http -> 10.42.1.6:8080" -j ${sep[2]}`,
    ]);
    expect(lines(text, sep[0]!)).toEqual([
      `-A ${sep[0]} -m comment --comment "default/web:http" -s 10.42.0.5/32 -j ${c.markMasq}`,
      `-A ${sep[0]} -m comment --comment "default/web:http" -p tcp -m tcp -j DNAT --to-destination 10.42.0.5:8080`,
    ]);
    // Node ports come last, for local destinations only; the masquerade chain clears its mark.
    expect(lines(text, c.services).at(-1)).toContain(`! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j ${c.nodePorts}`);
    expect(lines(text, c.postrouting)).toEqual([
      `-A ${c.postrouting} -m mark ! --mark 0x20000/0x20000 -j RETURN`,
      `-A ${c.postrouting} -j MARK --xor-mark 0x20000`,
      `-A ${c.postrouting} -m comment --comment "skiff service traffic requiring SNAT" -j MASQUERADE`,
    ]);
    expect(renderRules(planServices([web], slicesFrom([webSlice]), 'n1'), ctx)).toBe(text);
  });

  it('REJECTs a service port without endpoints in the filter table, on its cluster IP, node port and external IPs', () => {
    const lb = svc('lb', { type: 'LoadBalancer', clusterIP: '10.43.0.11', ports: [{ port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '192.0.2.2' }] } });
    const text = renderRules(planServices([lb], slicesFrom([]), 'n1'), ctx);
    expect(text).not.toContain('SVC-');
    const [nat, filter] = text.split('*filter');
    expect(nat).not.toContain('10.43.0.11');
    expect(lines(filter!, c.filterServices)).toEqual([`-A ${c.filterServices} -m comment --comment "default/lb:80 has no endpoints" -d 10.43.0.11/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`]);
    expect(lines(filter!, c.filterExternal)).toEqual([
      `-A ${c.filterExternal} -m comment --comment "default/lb:80 has no endpoints" -d 192.0.2.2/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`,
      `-A ${c.filterExternal} -m comment --comment "default/lb:80 has no endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable`,
    ]);
  });

  it('masquerades node port and external IP traffic, then balances over every backend (externalTrafficPolicy Cluster)', () => {
    const np = svc('np', { type: 'LoadBalancer', clusterIP: '10.43.0.12', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '192.0.2.2' }] } });
    const text = renderRules(planServices([np], slicesFrom([slice('np', [ep('10.42.0.5', 'n1')], [{ name: 'http', port: 8080, protocol: 'TCP' }])]), 'n1'), ctx);
    const ext = c.ext('default/np:http');
    expect(lines(text, c.nodePorts)).toEqual([`-A ${c.nodePorts} -m comment --comment "default/np:http" -p tcp -m tcp --dport 30080 -j ${ext}`]);
    expect(lines(text, c.services)).toContain(`-A ${c.services} -m comment --comment "default/np:http external IP" -d 192.0.2.2/32 -p tcp -m tcp --dport 80 -j ${ext}`);
    expect(lines(text, ext)).toEqual([
      `-A ${ext} -m comment --comment "masquerade traffic for default/np:http external destinations" -j ${c.markMasq}`,
      `-A ${ext} -j ${c.svc('default/np:http')}`,
    ]);
  });

  it('keeps external traffic on local backends without masquerade for externalTrafficPolicy Local; pods and the host get all', () => {
    const local = svc('web', { type: 'NodePort', clusterIP: '10.43.0.10', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, nodePort: 30080 }] });
    const text = renderRules(planServices([local], slicesFrom([webSlice]), 'n1'), ctx);
    const ext = c.ext('default/web:http');
    const svl = c.local('default/web:http');
    expect(lines(text, ext).map((l) => l.replace(/ -m comment --comment "[^"]*"/, ''))).toEqual([
      `-A ${ext} -s 10.42.0.0/24 -j ${c.svc('default/web:http')}`,
      `-A ${ext} -m addrtype --src-type LOCAL -j ${c.markMasq}`,
      `-A ${ext} -m addrtype --src-type LOCAL -j ${c.svc('default/web:http')}`,
      `-A ${ext} -j ${svl}`,
    ]);
    expect(lines(text, svl).map((l) => /-> (\S+)"/.exec(l)?.[1])).toEqual(['10.42.0.5:8080', '10.42.0.7:8080']);
    // On a node with none of the backends, external traffic is dropped.
    const other = renderRules(planServices([local], slicesFrom([webSlice]), 'n3'), ctx);
    expect(other).not.toContain(svl);
    expect(lines(other.split('*filter')[1]!, c.filterExternal)).toEqual([`-A ${c.filterExternal} -m comment --comment "default/web:http has no local endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j DROP`]);
  });

  it('sends a client back to its backend within the affinity timeout (ClientIP) and records it on DNAT', () => {
    const sticky = svc('web', { clusterIP: '10.43.0.10', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ name: 'http', port: 80 }] });
    const text = renderRules(planServices([sticky], slicesFrom([webSlice]), 'n1'), ctx);
    const sep = c.sep('default/web:http', '10.42.0.5', 8080, 'tcp');
    const svcLines = lines(text, c.svc('default/web:http'));
    expect(svcLines[1]).toBe(`-A ${c.svc('default/web:http')} -m comment --comment "default/web:http" -m recent --name ${sep} --mask 255.255.255.255 --rsource --rcheck --seconds 60 --reap -j ${sep}`);
    expect(svcLines.filter((l) => l.includes('--rcheck'))).toHaveLength(3);
    expect(lines(text, sep)[1]).toBe(`-A ${sep} -m comment --comment "default/web:http" -p tcp -m recent --set --name ${sep} --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.42.0.5:8080`);
  });

  it('deletes chains of the node that are no longer wanted, after flushing them, in the same transaction', () => {
    const stale = c.svc('default/gone:80');
    const text = renderRules(planServices([web], slicesFrom([webSlice]), 'n1'), ctx, { nat: [c.services, stale], filter: [c.forward] });
    const nat = text.split('*filter')[0]!.split('\n');
    expect(nat).toContain(`:${stale} - [0:0]`);
    expect(nat.at(-3)).toBe(`-X ${stale}`);
    expect(text.split('\n').filter((l) => l.startsWith('-X'))).toEqual([`-X ${stale}`]);
  });

  it('names every chain after the node, within iptables\' 28 characters', () => {
    const names = [c.services, c.nodePorts, c.postrouting, c.markMasq, c.filterExternal, c.forward, c.svc('a/b:c'), c.ext('a/b:c'), c.local('a/b:c'), c.sep('a/b:c', '10.0.0.1', 1, 'tcp')];
    for (const n of names) expect(n.length, n).toBeLessThanOrEqual(28);
    expect(names.every((n) => n.startsWith('SKIFF-0123abcd-'))).toBe(true);
    expect(chainsFor('ffffffff').svc('a/b:c')).not.toBe(c.svc('a/b:c'));
    expect(builtinJumps(ctx).map((j) => `${j.table} ${j.chain} ${j.args.at(-1)}`)).toEqual([
      `nat PREROUTING ${c.services}`, `nat PREROUTING ${c.services}`, `nat OUTPUT ${c.services}`, `nat POSTROUTING ${c.postrouting}`,
      `filter FORWARD ${c.forward}`, `filter FORWARD ${c.filterServices}`, `filter OUTPUT ${c.filterServices}`, `filter INPUT ${c.filterExternal}`,
    ]);
    // Under Docker, forwarded traffic is judged in DOCKER-USER, which Docker keeps ahead of its isolation rules.
    expect(builtinJumps({ ...ctx, forwardChain: 'DOCKER-USER' }).filter((j) => j.table === 'filter').map((j) => j.chain)).toEqual(['DOCKER-USER', 'DOCKER-USER', 'OUTPUT', 'INPUT']);
  });
});
