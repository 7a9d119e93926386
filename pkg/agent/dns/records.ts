import type { core, discovery } from '../../api/types/index.ts';
import { RCode, RType, type Question, type Reply, type ResourceRecord } from './wire.ts';

/** What the answers are made from: the agent's informer caches, or plain arrays in tests. */
export interface DnsSource {
  service(namespace: string, name: string): core.Service | undefined;
  services(): core.Service[];
  /** EndpointSlices labelled kubernetes.io/service-name=<name> in `namespace`. */
  slicesOf(namespace: string, name: string): discovery.EndpointSlice[];
  slices(): discovery.EndpointSlice[];
}

/** One ready endpoint address of a service, with the DNS label it is published under. */
interface Endpoint {
  ip: string;
  label: string;
  ports: discovery.EndpointPort[];
}

/** CoreDNS's default record TTL in a Kubernetes cluster, also used for negative answers. */
const ttl = 5;

/**
 * The answers of the cluster DNS, after the Kubernetes DNS specification and CoreDNS's kubernetes
 * plugin (with `pods insecure`):
 * - `<svc>.<ns>.svc.<zone>`: A/AAAA of the cluster IPs; for a headless service the ready endpoint
 *   addresses (NXDOMAIN while there are none, as CoreDNS); CNAME for ExternalName.
 * - `<endpoint>.<svc>.<ns>.svc.<zone>`: one ready endpoint, named by its hostname (a pod's
 *   spec.hostname when spec.subdomain names the service) or its address with dashes.
 * - `_<port>._<proto>.<svc>.<ns>.svc.<zone>` (and SRV of the bare service name): SRV per named port,
 *   targets with their A records in the additional section.
 * - `<a-b-c-d>.<ns>.pod.<zone>`: A a.b.c.d.
 * - PTR of cluster IPs and ready endpoint addresses under in-addr.arpa / ip6.arpa.
 * Names under the zone are answered authoritatively (NXDOMAIN / NODATA with the zone's SOA);
 * `answer` returns undefined for everything else, which the server forwards upstream.
 */
export function answer(q: Question, zone: string, src: DnsSource): Reply | undefined {
  const name = q.name.toLowerCase().replace(/\.$/, '');
  if (name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa')) return reverse(q, name, zone, src);
  if (name !== zone && !name.endsWith(`.${zone}`)) return undefined;
  const labels = name === zone ? [] : name.slice(0, -zone.length - 1).split('.');
  const soa = soaRecord(zone);
  const nodata = (): Reply => ({ rcode: RCode.NOERROR, authoritative: true, answers: [], authority: [soa], additional: [] });
  const nxdomain = (): Reply => ({ rcode: RCode.NXDOMAIN, authoritative: true, answers: [], authority: [soa], additional: [] });
  const found = (answers: ResourceRecord[], additional: ResourceRecord[] = []): Reply =>
    answers.length ? { rcode: RCode.NOERROR, authoritative: true, answers, authority: [], additional } : nodata();

  if (!labels.length) {
    if (q.type === RType.SOA || q.type === RType.ANY) return found([soa]);
    if (q.type === RType.NS) return found([{ name: q.name, ttl, data: { type: RType.NS, target: `ns.dns.${zone}` } }]);
    return nodata();
  }
  const kind = labels.at(-1);
  if (kind === 'pod') {
    if (labels.length === 1) return nodata();
    if (labels.length !== 3) return nxdomain();
    const ip = fromDashed(labels[0]!);
    if (!ip) return nxdomain();
    return found(wants(q.type, RType.A) ? [{ name: q.name, ttl, data: { type: RType.A, address: ip } }] : []);
  }
  if (kind !== 'svc') return nxdomain();
  if (labels.length === 1) return nodata();
  const ns = labels.at(-2)!;
  if (labels.length === 2) return src.services().some((s) => s.metadata?.namespace === ns) ? nodata() : nxdomain();

  const svcName = labels.at(-3)!;
  const svc = src.service(ns, svcName);
  if (!svc) return nxdomain();
  const svcFqdn = `${svcName}.${ns}.svc.${zone}`;
  const rest = labels.slice(0, -3);
  if (svc.spec?.type === 'ExternalName') {
    if (rest.length || !svc.spec.externalName) return nxdomain();
    return found([{ name: q.name, ttl, data: { type: RType.CNAME, target: svc.spec.externalName.replace(/\.$/, '') } }]);
  }
  const headless = isHeadless(svc);
  const eps = readyEndpoints(src.slicesOf(ns, svcName));

  if (rest.length === 0) {
    if (q.type === RType.SRV) return found(...srvRecords(q.name, svc, eps, svcFqdn, undefined, undefined));
    if (headless) {
      if (!eps.length) return nxdomain();
      return found(addressRecords(q.name, q.type, eps.map((e) => e.ip)));
    }
    return found(addressRecords(q.name, q.type, clusterIPs(svc)));
  }
  if (rest.length === 1) {
    const label = rest[0]!;
    // `_tcp.<svc>…` exists as the parent of SRV names: an empty non-terminal.
    if (label.startsWith('_')) return protoOf(label) && svcPorts(svc, eps).some((p) => protoOf(label) === (p.protocol ?? 'TCP')) ? nodata() : nxdomain();
    const hit = eps.filter((e) => e.label === label);
    if (!hit.length) return nxdomain();
    return found(addressRecords(q.name, q.type, hit.map((e) => e.ip)));
  }
  if (rest.length === 2 && rest[0]!.startsWith('_') && rest[1]!.startsWith('_')) {
    const proto = protoOf(rest[1]!);
    const portName = rest[0]!.slice(1);
    if (!proto || !svcPorts(svc, eps).some((p) => p.name?.toLowerCase() === portName && (p.protocol ?? 'TCP') === proto)) return nxdomain();
    if (q.type !== RType.SRV && q.type !== RType.ANY) return nodata();
    return found(...srvRecords(q.name, svc, eps, svcFqdn, portName, proto));
  }
  return nxdomain();
}

const wants = (qtype: number, type: number) => qtype === type || qtype === RType.ANY;

function addressRecords(name: string, qtype: number, ips: string[]): ResourceRecord[] {
  return ips.flatMap((address): ResourceRecord[] => {
    const type = address.includes(':') ? RType.AAAA : RType.A;
    return wants(qtype, type) ? [{ name, ttl, data: { type, address } }] : [];
  });
}

/** SRV answers: one per port of a ClusterIP service, one per port and endpoint of a headless one. */
function srvRecords(name: string, svc: core.Service, eps: Endpoint[], svcFqdn: string, portName: string | undefined, proto: string | undefined): [ResourceRecord[], ResourceRecord[]] {
  const match = (p: { name?: string; protocol?: string }) => !!p.name && (portName === undefined || p.name.toLowerCase() === portName) && (proto === undefined || (p.protocol ?? 'TCP') === proto);
  const answers: ResourceRecord[] = [];
  const additional: ResourceRecord[] = [];
  if (!isHeadless(svc)) {
    const ports = (svc.spec?.ports ?? []).filter(match);
    for (const p of ports) answers.push({ name, ttl, data: { type: RType.SRV, priority: 0, weight: weight(ports.length), port: p.port, target: svcFqdn } });
    if (answers.length) additional.push(...addressRecords(svcFqdn, RType.ANY, clusterIPs(svc)));
    return [answers, additional];
  }
  const targets = eps.flatMap((e) => e.ports.filter(match).map((p) => ({ e, port: p.port ?? 0 })));
  for (const { e, port } of targets) {
    const target = `${e.label}.${svcFqdn}`;
    answers.push({ name, ttl, data: { type: RType.SRV, priority: 0, weight: weight(targets.length), port, target } });
    if (!additional.some((r) => r.name === target)) additional.push(...addressRecords(target, RType.ANY, [e.ip]));
  }
  return [answers, additional];
}

/** Equal shares of 100 (CoreDNS's weighting of SRV answers of one name). */
const weight = (n: number) => Math.max(1, Math.floor(100 / Math.max(1, n)));

/** PTR of a cluster IP (the service's name) or of a ready endpoint; undefined for other addresses. */
function reverse(q: Question, name: string, zone: string, src: DnsSource): Reply | undefined {
  const ip = fromReverse(name);
  if (!ip) return undefined;
  const targets: string[] = [];
  for (const svc of src.services()) {
    const ns = svc.metadata?.namespace ?? '';
    const svcName = svc.metadata?.name ?? '';
    if (clusterIPs(svc).some((c) => sameIp(c, ip))) targets.push(`${svcName}.${ns}.svc.${zone}`);
  }
  for (const slice of src.slices()) {
    const svcName = slice.metadata?.labels?.['kubernetes.io/service-name'];
    const ns = slice.metadata?.namespace ?? '';
    if (!svcName || !src.service(ns, svcName)) continue;
    for (const e of readyEndpoints([slice])) if (sameIp(e.ip, ip)) targets.push(`${e.label}.${svcName}.${ns}.svc.${zone}`);
  }
  if (!targets.length) return undefined;
  const answers: ResourceRecord[] = wants(q.type, RType.PTR) ? [...new Set(targets)].map((target) => ({ name: q.name, ttl, data: { type: RType.PTR, target } })) : [];
  return { rcode: RCode.NOERROR, authoritative: true, answers, authority: answers.length ? [] : [soaRecord(zone)], additional: [] };
}

export function soaRecord(zone: string): ResourceRecord {
  // Serial: CoreDNS uses the time of its last change; a constant is as good for caches of 5 s.
  return { name: zone, ttl, data: { type: RType.SOA, mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl } };
}

export function isHeadless(svc: core.Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

function clusterIPs(svc: core.Service): string[] {
  const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
  return ips.filter((ip) => ip && ip !== 'None');
}

/** Ports known for SRV: the service's own for ClusterIP services, the endpoints' for headless ones. */
function svcPorts(svc: core.Service, eps: Endpoint[]): { name?: string; protocol?: string }[] {
  return isHeadless(svc) ? eps.flatMap((e) => e.ports) : svc.spec?.ports ?? [];
}

function readyEndpoints(slices: discovery.EndpointSlice[]): Endpoint[] {
  const out: Endpoint[] = [];
  for (const slice of slices) {
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const ip of e.addresses ?? []) out.push({ ip, label: e.hostname || ip.replace(/[.:]/g, '-'), ports: slice.ports ?? [] });
    }
  }
  return out;
}

const protoOf = (label: string) => ({ _tcp: 'TCP', _udp: 'UDP', _sctp: 'SCTP' })[label];

function fromDashed(label: string): string | undefined {
  const parts = label.split('-');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.map(Number).join('.');
}

/** `4.3.2.1.in-addr.arpa` → 1.2.3.4; 32 nibbles under ip6.arpa → an IPv6 address. */
function fromReverse(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
    return parts.reverse().map(Number).join('.');
  }
  const nibbles = name.slice(0, -'.ip6.arpa'.length).split('.');
  if (nibbles.length !== 32 || nibbles.some((n) => !/^[0-9a-f]$/.test(n))) return undefined;
  const hex = nibbles.reverse().join('');
  return hex.match(/.{4}/g)!.join(':');
}

/** IPv4 compares as text; IPv6 by its expanded groups (`fd00::1` = `fd00:0:…:1`). */
function sameIp(a: string, b: string): boolean {
  if (!a.includes(':') || !b.includes(':')) return a === b;
  const expand = (ip: string) => {
    const [h = '', t] = ip.toLowerCase().split('::');
    const hs = h ? h.split(':') : [];
    const ts = t === undefined ? [] : t ? t.split(':') : [];
    return [...hs, ...Array<string>(8 - hs.length - ts.length).fill('0'), ...ts].map((g) => parseInt(g, 16)).join(':');
  };
  return expand(a) === expand(b);
}
