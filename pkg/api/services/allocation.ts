import type { FieldError } from '../status.ts';
import { goStringSlice, invalidPrinted, invalidValue } from '../validation/index.ts';
import { intToIp, ipToInt, type ServiceRanges } from './ranges.ts';

/**
 * Who holds which cluster IP and node port, computed from the stored services each time it is
 * needed (never kept on its own), so it cannot drift from them: deleting a service or changing
 * its type frees what it held by the very write that stores it.
 */
export interface Allocations {
  ips: Map<number, string>;
  ports: Map<number, string>;
}

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const hasClusterIP = (s: any) => s?.type !== 'ExternalName' && typeof s?.clusterIP === 'string' && s.clusterIP !== '' && s.clusterIP !== 'None';
const usesNodePorts = (s: any) => s?.type === 'NodePort' || s?.type === 'LoadBalancer';
const usesHealthCheckPort = (s: any) => s?.type === 'LoadBalancer' && s?.externalTrafficPolicy === 'Local';
export const ownerKey = (o: any) => `${o?.metadata?.namespace ?? ''}/${o?.metadata?.name ?? ''}`;

/** What the stored services hold; `except` (the service being written) is left out. */
export function allocationsOf(services: Iterable<any>, except?: string): Allocations {
  const out: Allocations = { ips: new Map(), ports: new Map() };
  for (const svc of services) {
    const key = ownerKey(svc);
    if (key === except) continue;
    const s = svc.spec;
    if (hasClusterIP(s)) for (const ip of [s.clusterIP, ...arr(s.clusterIPs)]) { const n = ipToInt(String(ip)); if (n !== undefined) out.ips.set(n, key); }
    if (usesNodePorts(s)) for (const p of arr(s.ports)) if (Number.isInteger(p?.nodePort) && p.nodePort > 0) out.ports.set(p.nodePort, key);
    if (usesHealthCheckPort(s) && Number.isInteger(s.healthCheckNodePort) && s.healthCheckNodePort > 0) out.ports.set(s.healthCheckNodePort, key);
  }
  return out;
}

/** A random free value in [first, last], or undefined when every one is taken. */
function pickFree(first: number, last: number, taken: (n: number) => boolean, random: () => number): number | undefined {
  const size = last - first + 1;
  if (size <= 0) return undefined;
  // Random probes keep two servers' or two restarts' choices apart; a scan from a random start
  // then finds the last free values of a nearly full range.
  for (let i = 0; i < 32; i++) {
    const n = first + Math.floor(random() * size);
    if (!taken(n)) return n;
  }
  const start = Math.floor(random() * size);
  for (let i = 0; i < size; i++) {
    const n = first + ((start + i) % size);
    if (!taken(n)) return n;
  }
  return undefined;
}

/**
 * Fills in and checks the allocated values of a service about to be stored (upstream's service
 * REST allocators): spec.clusterIP(s), spec.ports[].nodePort and spec.healthCheckNodePort.
 * Requested values are honoured when free and in range; values the service already held
 * (`old`) are kept without re-checking. Returns 422 causes worded as upstream's.
 */
export function allocate(obj: any, old: any, held: Allocations, ranges: ServiceRanges, random: () => number = Math.random): FieldError[] {
  const s = obj.spec;
  if (!s || typeof s !== 'object') return [];
  const errors: FieldError[] = [];
  const o = old?.spec;
  const me = ownerKey(obj);
  if (s.type !== 'ExternalName' && s.clusterIP !== 'None') {
    const requested = typeof s.clusterIP === 'string' && s.clusterIP !== '' ? s.clusterIP : arr(s.clusterIPs)[0];
    if (requested) {
      const n = ipToInt(String(requested));
      const kept = hasClusterIP(o) && o.clusterIP === requested;
      const fail = (why: string) => errors.push(invalidPrinted('spec.clusterIPs', goStringSlice(s.clusterIPs ?? [requested]), `failed to allocate IP ${requested}: ${why}`));
      if (n === undefined) errors.push(invalidValue('spec.clusterIPs[0]', requested, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      else if (!kept && (n <= ranges.ipBase || n >= ranges.ipLast)) fail(`the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${ranges.cidr}`);
      else if (!kept && held.ips.has(n) && held.ips.get(n) !== me) fail('provided IP is already allocated');
      else {
        s.clusterIP = requested;
        s.clusterIPs = [requested];
      }
    } else {
      // .1 stays for the `kubernetes` service even while it does not exist.
      const n = pickFree(ranges.ipBase + 2, ranges.ipLast - 1, (x) => held.ips.has(x), random);
      if (n === undefined) errors.push(invalidPrinted('spec.clusterIPs', goStringSlice(s.clusterIPs ?? []), 'failed to allocate a serviceIP: range is full'));
      else {
        s.clusterIP = intToIp(n);
        s.clusterIPs = [s.clusterIP];
      }
    }
  }
  if (!usesNodePorts(s)) return errors;
  const wasPorts = new Set<number>(usesNodePorts(o) ? arr(o.ports).map((p) => p?.nodePort).filter((n) => n > 0) : []);
  if (usesHealthCheckPort(o) && o.healthCheckNodePort > 0) wasPorts.add(o.healthCheckNodePort);
  // Ports this write claims: one number may serve several entries (e.g. TCP and UDP of one port).
  const mine = new Map<number, string>();
  const taken = (n: number) => held.ports.has(n) || mine.has(n);
  const claim = (field: string, wanted: unknown, proto: string): number | undefined => {
    const n = wanted as number;
    if (!wasPorts.has(n)) {
      if (n < ranges.portFirst || n > ranges.portLast) {
        errors.push(invalidValue(field, n, `provided port is not in the valid range. The range of valid ports is ${ranges.portFirst}-${ranges.portLast}`));
        return undefined;
      }
      if (held.ports.has(n) || mine.get(n) === proto) {
        errors.push(invalidValue(field, n, 'provided port is already allocated'));
        return undefined;
      }
    }
    mine.set(n, proto);
    return n;
  };
  const requested = arr(s.ports).map((p) => (p && typeof p === 'object' && Number.isInteger(p.nodePort) && p.nodePort !== 0 ? p.nodePort : undefined));
  arr(s.ports).forEach((p, i) => requested[i] !== undefined && claim(`spec.ports[${i}].nodePort`, requested[i], p.protocol ?? 'TCP'));
  const allocatePorts = s.type === 'NodePort' || s.allocateLoadBalancerNodePorts !== false;
  arr(s.ports).forEach((p, i) => {
    if (requested[i] !== undefined || !allocatePorts || !p || typeof p !== 'object') return;
    const n = pickFree(ranges.portFirst, ranges.portLast, taken, random);
    if (n === undefined) errors.push(invalidValue(`spec.ports[${i}].nodePort`, 0, 'failed to allocate a nodePort: range is full'));
    else p.nodePort = claim(`spec.ports[${i}].nodePort`, n, p.protocol ?? 'TCP');
  });
  if (usesHealthCheckPort(s)) {
    const want = Number.isInteger(s.healthCheckNodePort) && s.healthCheckNodePort > 0 ? s.healthCheckNodePort : pickFree(ranges.portFirst, ranges.portLast, taken, random);
    if (want === undefined) errors.push(invalidValue('spec.healthCheckNodePort', 0, 'failed to allocate a nodePort: range is full'));
    else {
      const n = claim('spec.healthCheckNodePort', want, 'health');
      if (n !== undefined) s.healthCheckNodePort = n;
    }
  }
  return errors;
}
