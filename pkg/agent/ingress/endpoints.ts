import type { core, discovery } from '../../api/types/index.ts';
import type { BackendRef } from './routes.ts';

/** An address and port a request can be sent to. */
export interface Endpoint {
  ip: string;
  port: number;
}

const isIPv4 = (s: string) => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((p) => Number(p) <= 255);

/**
 * The ready endpoints of an ingress backend, as ingress-nginx sends to them (straight to the pods,
 * not through the cluster IP): the service port named by number or by name, then the endpoints of
 * the service's slices whose port carries that service port's name. Not-ready and terminating
 * endpoints are left out; an ExternalName service or an unknown port has none.
 */
export function backendEndpoints(ref: BackendRef, svc: core.Service | undefined, slices: discovery.EndpointSlice[]): Endpoint[] {
  if (!svc || svc.spec?.type === 'ExternalName') return [];
  const port = (svc.spec?.ports ?? []).find((p) => (typeof ref.port === 'number' ? p.port === ref.port : p.name === ref.port));
  if (!port || (port.protocol ?? 'TCP') !== 'TCP') return [];
  const out = new Map<string, Endpoint>();
  for (const slice of slices) {
    if ((slice.addressType ?? 'IPv4') !== 'IPv4') continue;
    const sp = (slice.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === 'TCP');
    if (!sp?.port) continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false || ep.conditions?.terminating === true) continue;
      const ip = ep.addresses?.[0];
      if (!ip || !isIPv4(ip)) continue;
      out.set(`${ip}:${sp.port}`, { ip, port: sp.port });
    }
  }
  return [...out.values()].sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port));
}
