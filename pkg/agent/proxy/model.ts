import type { core, discovery } from '../../api/types/index.ts';

/** One backend of a service port: an address and port from an EndpointSlice. */
export interface Backend {
  ip: string;
  port: number;
  /** The endpoint's pod runs on this node (externalTrafficPolicy: Local keeps to these). */
  local: boolean;
}

/**
 * What the proxy programs for one port of one service: the service's addresses and the ready
 * backends, already resolved (kube-proxy's ServicePort plus its endpoints). `name` is
 * `namespace/service:port` (the port's name, or its number when unnamed), as kube-proxy comments.
 */
export interface ServicePortPlan {
  name: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  clusterIP: string;
  port: number;
  /** 0 when the service has no node port. */
  nodePort: number;
  /** status.loadBalancer.ingress IPs and spec.externalIPs: answer the service port there too. */
  externalIPs: string[];
  /** externalTrafficPolicy: Local — external traffic only to this node's backends, unmasqueraded. */
  localOnly: boolean;
  /** sessionAffinity ClientIP: seconds a client keeps its backend; 0 without affinity. */
  affinitySeconds: number;
  backends: Backend[];
}

const protocols: Record<string, ServicePortPlan['protocol']> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const isIPv4 = (s: string | undefined): s is string => !!s && ipv4.test(s) && s.split('.').every((p) => Number(p) <= 255);
// Loopback and unspecified endpoints cannot be reached from pods (upstream refuses them too).
const isRoutable = (ip: string) => isIPv4(ip) && !ip.startsWith('127.') && ip !== '0.0.0.0';
// Whatever got stored, a value outside these ranges must not reach iptables-restore: one bad
// rule would fail the whole transaction and leave every service unprogrammed.
const isPort = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;
const affinityTimeout = (n: unknown) => (Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 86400 ? (n as number) : 10800);

/**
 * Resolves services and their EndpointSlices into per-port plans for node `nodeName`: a ClusterIP
 * service (or NodePort, LoadBalancer) with an IPv4 cluster IP; headless and ExternalName services
 * have nothing to program. Backends are the slices' ready endpoints whose port matches the
 * service port by name and protocol, deduplicated, sorted (stable rules for the same input).
 */
export function planServices(services: core.Service[], slicesOf: (ns: string, name: string) => discovery.EndpointSlice[], nodeName: string): ServicePortPlan[] {
  const plans: ServicePortPlan[] = [];
  for (const svc of services) {
    const spec = svc.spec ?? {};
    const ns = svc.metadata?.namespace ?? 'default';
    const svcName = svc.metadata?.name ?? '';
    if (spec.type === 'ExternalName' || !isIPv4(spec.clusterIP)) continue;
    const slices = slicesOf(ns, svcName).filter((s) => (s.addressType ?? 'IPv4') === 'IPv4');
    const ingress = spec.type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter(isIPv4) : [];
    const externalIPs = [...new Set([...ingress, ...(spec.externalIPs ?? []).filter(isIPv4)])].sort();
    const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? affinityTimeout(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds) : 0;
    const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    for (const port of spec.ports ?? []) {
      const protocol = protocols[port.protocol ?? 'TCP'];
      if (!protocol || !isPort(port.port)) continue;
      const backends = new Map<string, Backend>();
      for (const slice of slices) {
        const sp = (slice.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
        if (!isPort(sp?.port)) continue;
        for (const ep of slice.endpoints ?? []) {
          if (ep.conditions?.ready === false) continue;
          const ip = ep.addresses?.[0];
          if (!ip || !isRoutable(ip)) continue;
          backends.set(`${ip}:${sp.port}`, { ip, port: sp.port, local: ep.nodeName === nodeName });
        }
      }
      plans.push({
        name: `${ns}/${svcName}:${port.name || port.port}`,
        protocol,
        clusterIP: spec.clusterIP,
        port: port.port,
        nodePort: external && isPort(port.nodePort) ? port.nodePort : 0,
        externalIPs,
        localOnly: external && spec.externalTrafficPolicy === 'Local',
        affinitySeconds,
        backends: [...backends.values()].sort((a, b) => compareAddr(a, b)),
      });
    }
  }
  return plans.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function compareAddr(a: Backend, b: Backend): number {
  const ka = a.ip.split('.').map((p) => p.padStart(3, '0')).join('.');
  const kb = b.ip.split('.').map((p) => p.padStart(3, '0')).join('.');
  return ka < kb ? -1 : ka > kb ? 1 : a.port - b.port;
}
