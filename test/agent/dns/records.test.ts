import { describe, expect, it } from 'vitest';
import { answer, RCode, RType, type DnsSource, type Question } from '../../../pkg/agent/dns/index.ts';
import type { core, discovery } from '../../../pkg/api/types/index.ts';

const svc = (ns: string, name: string, spec: core.ServiceSpec): core.Service => ({ metadata: { namespace: ns, name }, spec });
const slice = (ns: string, svcName: string, endpoints: discovery.Endpoint[], ports: discovery.EndpointPort[]): discovery.EndpointSlice => ({
  metadata: { namespace: ns, name: `${svcName}-x`, labels: { 'kubernetes.io/service-name': svcName } }, addressType: 'IPv4', endpoints, ports,
});

function source(services: core.Service[], slices: discovery.EndpointSlice[]): DnsSource {
  return {
    service: (ns, name) => services.find((s) => s.metadata?.namespace === ns && s.metadata?.name === name),
    services: () => services,
    slicesOf: (ns, name) => slices.filter((s) => s.metadata?.namespace === ns && s.metadata?.labels?.['kubernetes.io/service-name'] === name),
    slices: () => slices,
  };
}

const src = source([
  svc('default', 'web', { clusterIP: '10.43.0.10', clusterIPs: ['10.43.0.10'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
  svc('default', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
  svc('default', 'empty', { clusterIP: 'None' }),
  svc('default', 'ext', { type: 'ExternalName', externalName: 'example.org.' }),
  svc('team', 'api', { clusterIP: '10.43.0.20', ports: [{ port: 8080 }] }),
], [
  slice('default', 'db', [
    { addresses: ['10.42.0.5'], hostname: 'db-0', conditions: { ready: true } },
    { addresses: ['10.42.0.6'], conditions: { ready: true } },
    { addresses: ['10.42.0.7'], hostname: 'db-2', conditions: { ready: false } },
  ], [{ name: 'pg', port: 5432, protocol: 'TCP' }]),
  slice('default', 'web', [{ addresses: ['10.42.0.9'], conditions: { ready: true } }], [{ name: 'http', port: 8080, protocol: 'TCP' }]),
]);

const q = (name: string, type: number = RType.A): Question => ({ name, type, class: 1 });
const ask = (name: string, type: number = RType.A) => answer(q(name, type), 'cluster.local', src);
const data = (name: string, type: number = RType.A) => ask(name, type)?.answers.map((a) => a.data);

describe('answer', () => {
  it('gives a ClusterIP service its cluster IP, case-insensitively, keeping the asked spelling as owner', () => {
    const r = ask('Web.Default.svc.cluster.local')!;
    expect(r).toMatchObject({ rcode: RCode.NOERROR, authoritative: true });
    expect(r.answers).toEqual([{ name: 'Web.Default.svc.cluster.local', ttl: 5, data: { type: RType.A, address: '10.43.0.10' } }]);
    expect(data('api.team.svc.cluster.local.')).toEqual([{ type: RType.A, address: '10.43.0.20' }]);
  });

  it('gives a headless service its ready endpoints, and NXDOMAIN while it has none', () => {
    expect(data('db.default.svc.cluster.local')).toEqual([{ type: RType.A, address: '10.42.0.5' }, { type: RType.A, address: '10.42.0.6' }]);
    expect(ask('empty.default.svc.cluster.local')!.rcode).toBe(RCode.NXDOMAIN);
  });

  it('names endpoints by hostname or dashed address; not-ready ones do not resolve', () => {
    expect(data('db-0.db.default.svc.cluster.local')).toEqual([{ type: RType.A, address: '10.42.0.5' }]);
    expect(data('10-42-0-6.db.default.svc.cluster.local')).toEqual([{ type: RType.A, address: '10.42.0.6' }]);
    expect(ask('db-2.db.default.svc.cluster.local')!.rcode).toBe(RCode.NXDOMAIN);
  });

  it('answers NODATA with the zone SOA for a name that exists with another type', () => {
    const r = ask('web.default.svc.cluster.local', RType.AAAA)!;
    expect(r.rcode).toBe(RCode.NOERROR);
    expect(r.answers).toEqual([]);
    expect(r.authority[0]!.data).toMatchObject({ type: RType.SOA, mname: 'ns.dns.cluster.local', minimum: 5 });
  });

  it('answers NXDOMAIN for unknown names inside the zone, and NODATA for the zone\'s empty non-terminals', () => {
    for (const n of ['nope.default.svc.cluster.local', 'web.nope.svc.cluster.local', 'a.b.web.default.svc.cluster.local', 'x.cluster.local', 'web.default.svc.cluster.local.default.svc.cluster.local']) {
      const r = ask(n)!;
      expect(r.rcode, n).toBe(RCode.NXDOMAIN);
      expect(r.authority[0]!.data.type, n).toBe(RType.SOA);
    }
    for (const n of ['svc.cluster.local', 'default.svc.cluster.local', '_tcp.web.default.svc.cluster.local']) expect(ask(n)!.rcode, n).toBe(RCode.NOERROR);
    expect(data('cluster.local', RType.SOA)).toMatchObject([{ type: RType.SOA }]);
    expect(ask('_sctp.web.default.svc.cluster.local')!.rcode).toBe(RCode.NXDOMAIN);
  });

  it('serves SRV for named ports: the service name for ClusterIP, each endpoint for headless, with A records in additional', () => {
    const r = ask('_http._tcp.web.default.svc.cluster.local', RType.SRV)!;
    expect(r.answers.map((a) => a.data)).toEqual([{ type: RType.SRV, priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
    expect(r.additional.map((a) => [a.name, a.data])).toEqual([['web.default.svc.cluster.local', { type: RType.A, address: '10.43.0.10' }]]);
    expect(data('_dns._udp.web.default.svc.cluster.local', RType.SRV)).toMatchObject([{ port: 53 }]);
    expect(ask('_dns._tcp.web.default.svc.cluster.local', RType.SRV)!.rcode).toBe(RCode.NXDOMAIN);

    const h = ask('_pg._tcp.db.default.svc.cluster.local', RType.SRV)!;
    expect(h.answers.map((a) => a.data)).toEqual([
      { type: RType.SRV, priority: 0, weight: 50, port: 5432, target: 'db-0.db.default.svc.cluster.local' },
      { type: RType.SRV, priority: 0, weight: 50, port: 5432, target: '10-42-0-6.db.default.svc.cluster.local' },
    ]);
    expect(h.additional.map((a) => a.name)).toEqual(['db-0.db.default.svc.cluster.local', '10-42-0-6.db.default.svc.cluster.local']);
    // SRV of the bare service name lists every named port.
    expect(data('web.default.svc.cluster.local', RType.SRV)!.map((d) => (d as { port: number }).port)).toEqual([80, 53]);
    // A port without a name has no SRV name.
    expect(data('api.team.svc.cluster.local', RType.SRV)).toEqual([]);
  });

  it('gives ExternalName services a CNAME', () => {
    expect(data('ext.default.svc.cluster.local')).toEqual([{ type: RType.CNAME, target: 'example.org' }]);
  });

  it('serves dashed pod names under pod.<zone>', () => {
    expect(data('10-42-1-7.default.pod.cluster.local')).toEqual([{ type: RType.A, address: '10.42.1.7' }]);
    expect(ask('10-42-1-999.default.pod.cluster.local')!.rcode).toBe(RCode.NXDOMAIN);
  });

  it('serves PTR for cluster IPs and ready endpoints; other addresses and names fall through to forwarding', () => {
    expect(data('10.0.43.10.in-addr.arpa', RType.PTR)).toEqual([{ type: RType.PTR, target: 'web.default.svc.cluster.local' }]);
    expect(data('5.0.42.10.in-addr.arpa', RType.PTR)).toEqual([{ type: RType.PTR, target: 'db-0.db.default.svc.cluster.local' }]);
    expect(data('9.0.42.10.in-addr.arpa', RType.PTR)).toEqual([{ type: RType.PTR, target: '10-42-0-9.web.default.svc.cluster.local' }]);
    expect(ask('7.0.42.10.in-addr.arpa', RType.PTR)).toBeUndefined();
    expect(ask('1.1.168.192.in-addr.arpa', RType.PTR)).toBeUndefined();
    expect(ask('example.org')).toBeUndefined();
    expect(ask('local')).toBeUndefined();
  });

  it('honours another cluster domain', () => {
    expect(answer(q('web.default.svc.k8s.test'), 'k8s.test', src)?.answers[0]?.data).toEqual({ type: RType.A, address: '10.43.0.10' });
    expect(answer(q('web.default.svc.cluster.local'), 'k8s.test', src)).toBeUndefined();
  });
});
