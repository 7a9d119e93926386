import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { dns1123Label, dns1123Subdomain, forbidden, goStringSlice, invalidPrinted, invalidValue, notSupported, portNameErrors, portNumberErrors, required, validateLabels } from '../validation/index.ts';
import { ageCol, col, created, nameCol, table, wide } from './define.ts';
import { formatLabels, sortedUnique } from './format.ts';

/** The core/v1 Service strategy (defaults, allocated-value carry-over, validation) and its table. */

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const isHeadless = (s: any) => s?.clusterIP === 'None';
const needsClusterIP = (s: any) => s?.type !== 'ExternalName';
const needsNodePorts = (s: any) => s?.type === 'NodePort' || s?.type === 'LoadBalancer';
const externallyAccessible = (s: any) => s?.type === 'LoadBalancer' || s?.type === 'NodePort' || (s?.type === 'ClusterIP' && arr(s?.externalIPs).length > 0);

/** SetDefaults_Service plus what the service REST fills in (clusterIPs from clusterIP, IP families). */
function defaults(obj: any): void {
  const s = (obj.spec ??= {});
  s.sessionAffinity ||= 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP' && s.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  s.type ||= 'ClusterIP';
  for (const p of arr(s.ports)) {
    if (!p || typeof p !== 'object') continue;
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(s)) s.externalTrafficPolicy ||= 'Cluster';
  if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(s.type)) s.internalTrafficPolicy ??= 'Cluster';
  if (s.type === 'LoadBalancer') {
    s.allocateLoadBalancerNodePorts ??= true;
    for (const ing of arr(obj.status?.loadBalancer?.ingress)) if (ing?.ip) ing.ipMode ??= 'VIP';
  }
  if (needsClusterIP(s)) {
    if (s.clusterIP && !arr(s.clusterIPs).length) s.clusterIPs = [s.clusterIP];
    s.ipFamilyPolicy ??= 'SingleStack';
    s.ipFamilies ??= ['IPv4'];
  }
}

/** patchAllocatedValues: an update that omits allocated values keeps them. */
function prepareForUpdate(obj: any, old: any): void {
  const s = obj.spec;
  const o = old.spec;
  if (!s || typeof s !== 'object' || !o) return;
  if (needsClusterIP(s) && needsClusterIP(o)) {
    if (!s.clusterIP) s.clusterIP = o.clusterIP;
    if (!arr(s.clusterIPs).length && s.clusterIP === o.clusterIP && o.clusterIPs) s.clusterIPs = structuredClone(o.clusterIPs);
  }
  if (needsNodePorts(s) && needsNodePorts(o)) {
    for (const p of arr(s.ports)) {
      const was = arr(o.ports).find((q) => q?.port === p?.port && (q?.protocol ?? 'TCP') === (p?.protocol ?? 'TCP'));
      if (p && typeof p === 'object' && !p.nodePort && was?.nodePort) p.nodePort = was.nodePort;
    }
  }
  dropTypeDependentFields(s, o);
}

/**
 * dropTypeDependentFields: a type change clears the allocated values the new type has no use
 * for, when the client left them as they were (so `kubectl edit` of just the type works and
 * the values go back to the pools).
 */
function dropTypeDependentFields(s: any, o: any): void {
  if (s.type === o.type) return;
  if (!needsClusterIP(s) && needsClusterIP(o) && s.clusterIP === o.clusterIP) {
    delete s.clusterIP;
    if (JSON.stringify(s.clusterIPs) === JSON.stringify(o.clusterIPs)) delete s.clusterIPs;
  }
  if (!needsNodePorts(s) && needsNodePorts(o)) {
    for (const p of arr(s.ports)) {
      const was = arr(o.ports).find((q) => q?.port === p?.port && (q?.protocol ?? 'TCP') === (p?.protocol ?? 'TCP'));
      if (p && typeof p === 'object' && p.nodePort && p.nodePort === was?.nodePort) delete p.nodePort;
    }
  }
  if (s.type !== 'LoadBalancer' && s.healthCheckNodePort && s.healthCheckNodePort === o.healthCheckNodePort) delete s.healthCheckNodePort;
}

const goServicePortKey = (p: any) =>
  `core.ServicePort{Name:"", Protocol:${JSON.stringify(p?.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${p?.port ?? 0}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;

function validate(obj: any): FieldError[] {
  const s = obj.spec;
  if (!s || typeof s !== 'object') return [required('spec')];
  const out: FieldError[] = [];
  const ports = arr(s.ports);
  if (!ports.length && !isHeadless(s) && s.type !== 'ExternalName') out.push(required('spec.ports'));
  if (s.type === 'ExternalName') {
    if (arr(s.clusterIPs).length) out.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    const cname = String(s.externalName ?? '').replace(/\.$/, '');
    if (cname) out.push(...dns1123Subdomain('spec.externalName', cname));
    else out.push(required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    if (ports.length > 1 && !p?.name) out.push(required(`${path}.name`));
    else if (p?.name) {
      out.push(...dns1123Label(`${path}.name`, String(p.name)));
      if (names.has(p.name)) out.push({ type: 'FieldValueDuplicate', field: `${path}.name`, message: `Duplicate value: ${JSON.stringify(p.name)}` });
      names.add(p.name);
    }
    for (const m of portNumberErrors(p?.port)) out.push(invalidValue(`${path}.port`, p?.port, m));
    if (!p?.protocol) out.push(required(`${path}.protocol`));
    else if (!['SCTP', 'TCP', 'UDP'].includes(p.protocol)) out.push(notSupported(`${path}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
    const tp = p?.targetPort;
    if (typeof tp === 'string') for (const m of portNameErrors(tp)) out.push(invalidValue(`${path}.targetPort`, tp, m));
    else for (const m of portNumberErrors(tp)) out.push(invalidValue(`${path}.targetPort`, tp, m));
  });
  out.push(...validateLabels('spec.selector', s.selector));
  if (!s.sessionAffinity) out.push(required('spec.sessionAffinity'));
  else if (!['ClientIP', 'None'].includes(s.sessionAffinity)) out.push(notSupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']));
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  if (!s.type) out.push(required('spec.type'));
  else if (!types.includes(s.type)) out.push(notSupported('spec.type', s.type, types));
  if (s.type === 'ClusterIP') ports.forEach((p, i) => p?.nodePort && out.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'")));
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p?.protocol}/${p?.port}`;
    if (seen.has(key)) out.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}]`, message: `Duplicate value: ${goServicePortKey(p)}` });
    seen.add(key);
  });
  return out;
}

/** validateUpgradeDowngradeClusterIPs: allocated cluster IPs never change (ExternalName aside). */
function validateUpdate(obj: any, old: any): FieldError[] {
  const s = obj.spec ?? {};
  const o = old.spec ?? {};
  if (!needsClusterIP(s) || !needsClusterIP(o) || (isHeadless(s) && isHeadless(o))) return [];
  const now = arr(s.clusterIPs);
  const was = arr(o.clusterIPs);
  const out: FieldError[] = [];
  if (now.length >= was.length) {
    was.forEach((ip, i) => ip !== now[i] && out.push(invalidPrinted(`spec.clusterIPs[${i}]`, goStringSlice(s.clusterIPs), 'may not change once set')));
  } else if (now.length === 0) out.push(invalidPrinted('spec.clusterIPs[0]', goStringSlice(s.clusterIPs), 'primary clusterIP can not be unset'));
  else if (now[0] !== was[0]) out.push(invalidPrinted('spec.clusterIPs[0]', goStringSlice(s.clusterIPs), 'may not change once set'));
  return out;
}

export const serviceStrategy = {
  defaults,
  prepareForUpdate: (obj: KObject, old: KObject) => prepareForUpdate(obj, old),
  validate,
  validateUpdate,
};

/** getServiceExternalIP, as the server renders it (wide: load balancer addresses untruncated). */
function externalIp(svc: any): string {
  const ips: string[] = arr(svc.spec?.externalIPs);
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ips.length ? ips.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = sortedUnique(arr(svc.status?.loadBalancer?.ingress).map((i) => i?.ip || i?.hostname).filter(Boolean));
      const all = [...lb, ...ips];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

const servicePorts = (svc: any) =>
  arr(svc.spec?.ports).map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',') || '<none>';

export const serviceTable = table(
  [nameCol, col('Type', 'type determines how the Service is exposed.'), col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'), ageCol,
    wide(col('Selector', 'Route service traffic to pods with label keys and values matching this selector.'))],
  (o, now) => [o.metadata.name, o.spec?.type ?? '', arr(o.spec?.clusterIPs)[0] || o.spec?.clusterIP || '<none>', externalIp(o), servicePorts(o), created(o, now), formatLabels(o.spec?.selector)],
);
