import type { ResourceDef } from '../resource.ts';
import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { invalidValue, notSupported, required, validateLabels } from '../validation/index.ts';
import { ageCol, col, created, nameCol, resource, table, wide } from './define.ts';
import { none, selectorString } from './format.ts';
import { podFieldSelectors, podStrategy, podTable } from './pod.ts';
import { eventFieldSelectors, eventTable } from './events.ts';

const v1 = (row: Parameters<typeof resource>[2]) => resource('', 'v1', row);
const count = (m: unknown) => (m && typeof m === 'object' ? Object.keys(m).length : 0);

function servicePorts(svc: any): string {
  const ports: any[] = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIp(svc: any): string {
  const ips: string[] = [...(svc.spec?.externalIPs ?? [])];
  if (svc.spec?.type === 'LoadBalancer') {
    const ing = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip ?? i.hostname);
    return [...ing, ...ips].join(',') || '<pending>';
  }
  if (svc.spec?.type === 'ExternalName') return svc.spec.externalName ?? '<none>';
  return ips.length ? ips.join(',') : '<none>';
}

const serviceStrategy = {
  defaults(obj: any) {
    const s = (obj.spec ??= {});
    s.type ??= 'ClusterIP';
    if (s.type !== 'ExternalName') {
      s.sessionAffinity ??= 'None';
      s.ipFamilies ??= ['IPv4'];
      s.ipFamilyPolicy ??= 'SingleStack';
      s.internalTrafficPolicy ??= 'Cluster';
    }
    if ((s.type === 'NodePort' || s.type === 'LoadBalancer')) s.externalTrafficPolicy ??= 'Cluster';
    for (const p of Array.isArray(s.ports) ? s.ports : []) {
      if (!p || typeof p !== 'object') continue;
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
  },
  validate(obj: any): FieldError[] {
    const out: FieldError[] = [];
    const s = obj.spec;
    if (!s || typeof s !== 'object') return [required('spec')];
    const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
    if (!types.includes(s.type)) out.push(notSupported('spec.type', s.type, types));
    if (s.type !== 'ExternalName' && (!Array.isArray(s.ports) || s.ports.length === 0) && s.clusterIP !== 'None') out.push(required('spec.ports'));
    (Array.isArray(s.ports) ? s.ports : []).forEach((p: any, i: number) => {
      if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) out.push(invalidValue(`spec.ports[${i}].port`, p?.port, 'must be between 1 and 65535, inclusive'));
      if (s.ports.length > 1 && !p?.name) out.push(required(`spec.ports[${i}].name`));
      if (!['TCP', 'UDP', 'SCTP'].includes(p?.protocol)) out.push(notSupported(`spec.ports[${i}].protocol`, p?.protocol, ['SCTP', 'TCP', 'UDP']));
    });
    out.push(...validateLabels('spec.selector', s.selector));
    return out;
  },
  validateUpdate(obj: any, old: any): FieldError[] {
    const was = old.spec?.clusterIP;
    if (was && obj.spec?.clusterIP !== undefined && obj.spec.clusterIP !== was) return [invalidValue('spec.clusterIP', obj.spec.clusterIP, 'field is immutable')];
    if (was && obj.spec && obj.spec.clusterIP === undefined) obj.spec.clusterIP = was;
    return [];
  },
};

function nodeStatus(node: any): string {
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: any): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.add(String(v));
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const address = (node: any, type: string) => none((node.status?.addresses ?? []).find((a: any) => a.type === type)?.address);

export const core: ResourceDef[] = [
  v1({
    kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], status: true, nameRule: 'label',
    subresources: [{ name: 'finalize' }],
    strategy: {
      prepareForCreate(obj) {
        obj.status = { phase: 'Active' };
      },
      defaults(obj: any) {
        obj.spec ??= {};
        obj.spec.finalizers ??= ['kubernetes'];
        if (obj.metadata.name) (obj.metadata.labels ??= {})['kubernetes.io/metadata.name'] = obj.metadata.name;
      },
    },
    table: table([nameCol, col('Status', 'The status of the namespace'), ageCol], (o, now) => [o.metadata.name, o.status?.phase ?? 'Active', created(o, now)]),
    fieldSelectors: { 'status.phase': (o: any) => o.status?.phase ?? '' },
  }),
  v1({
    kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'], status: true,
    subresources: [{ name: 'binding', kind: 'Binding' }, { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] }, { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] }, { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] }],
    strategy: podStrategy, table: podTable, fieldSelectors: podFieldSelectors,
  }),
  v1({
    kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'], status: true,
    strategy: {
      prepareForCreate(obj: any) {
        // Nodes register their own status at creation (kubelet does), so keep it.
        void obj;
      },
    },
    table: table([nameCol, col('Status', 'The status of the node'), col('Roles', 'The roles of the node'), ageCol, col('Version', 'Kubelet Version reported by the node.'),
      wide(col('Internal-IP', 'List of internal IPs.')), wide(col('External-IP', 'List of external IPs.')), wide(col('OS-Image', 'OS image reported by the node.')),
      wide(col('Kernel-Version', 'Kernel version reported by the node.')), wide(col('Container-Runtime', 'Container runtime and version reported by the node.'))],
    (o, now) => [o.metadata.name, nodeStatus(o), nodeRoles(o), created(o, now), o.status?.nodeInfo?.kubeletVersion ?? '', address(o, 'InternalIP'), address(o, 'ExternalIP'),
      none(o.status?.nodeInfo?.osImage), none(o.status?.nodeInfo?.kernelVersion), none(o.status?.nodeInfo?.containerRuntimeVersion)]),
    fieldSelectors: { 'spec.unschedulable': (o: any) => String(o.spec?.unschedulable ?? false) },
  }),
  v1({
    kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'], status: true, nameRule: 'dns1035', strategy: serviceStrategy,
    table: table([nameCol, col('Type', 'The type of the service.'), col('Cluster-IP', 'The cluster IP of the service.'), col('External-IP', 'The external IP of the service.'),
      col('Port(s)', 'The ports of the service.'), ageCol, wide(col('Selector', 'The label selector of the service.'))],
    (o, now) => [o.metadata.name, o.spec?.type ?? 'ClusterIP', none(o.spec?.clusterIP), externalIp(o), servicePorts(o), created(o, now), selectorString(o.spec?.selector)]),
  }),
  v1({
    kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'],
    table: table([nameCol, col('Endpoints', 'The endpoints.'), ageCol], (o, now) => {
      const eps = (o.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).flatMap((a: any) => (s.ports?.length ? s.ports.map((p: any) => `${a.ip}:${p.port}`) : [a.ip])));
      return [o.metadata.name, eps.length ? eps.slice(0, 3).join(',') + (eps.length > 3 ? ` + ${eps.length - 3} more...` : '') : '<none>', created(o, now)];
    }),
  }),
  v1({
    kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'], strategy: { validate: validateDataKeys },
    table: table([nameCol, col('Data', 'Number of data entries.', { type: 'integer' }), ageCol], (o, now) => [o.metadata.name, count(o.data) + count(o.binaryData), created(o, now)]),
  }),
  v1({
    kind: 'Secret', plural: 'secrets',
    strategy: {
      defaults(obj: any) {
        obj.type ??= 'Opaque';
        if (obj.stringData && typeof obj.stringData === 'object') {
          obj.data ??= {};
          for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString('base64');
          delete obj.stringData;
        }
      },
      validate: validateDataKeys,
    },
    table: table([nameCol, col('Type', 'The type of the secret'), col('Data', 'Number of data entries.', { type: 'integer' }), ageCol], (o, now) => [o.metadata.name, o.type ?? 'Opaque', count(o.data), created(o, now)]),
    fieldSelectors: { type: (o: any) => o.type ?? '' },
  }),
  v1({
    kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'],
    table: table([nameCol, col('Secrets', 'Number of secrets.', { type: 'integer' }), ageCol], (o, now) => [o.metadata.name, (o.secrets ?? []).length, created(o, now)]),
  }),
  v1({ kind: 'Event', plural: 'events', shortNames: ['ev'], nameRule: 'path', table: eventTable, fieldSelectors: eventFieldSelectors }),
  v1({
    kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'], status: true,
    strategy: { prepareForCreate: (o) => void (o.status = { phase: 'Pending' }), defaults: (o: any) => void ((o.spec ??= {}).persistentVolumeReclaimPolicy ??= 'Retain', o.spec.volumeMode ??= 'Filesystem') },
    table: table([nameCol, col('Capacity', 'Capacity.'), col('Access Modes', 'Access modes.'), col('Reclaim Policy', 'Reclaim policy.'), col('Status', 'Phase.'),
      col('Claim', 'Bound claim.'), col('StorageClass', 'Storage class.'), col('VolumeAttributesClass', 'Volume attributes class.'), col('Reason', 'Reason.'), ageCol, wide(col('VolumeMode', 'Volume mode.'))],
    (o, now) => [o.metadata.name, o.spec?.capacity?.storage ?? '', accessModes(o.spec?.accessModes), o.spec?.persistentVolumeReclaimPolicy ?? '', o.status?.phase ?? '',
      o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : '', o.spec?.storageClassName ?? '', '<unset>', o.status?.reason ?? '', created(o, now), o.spec?.volumeMode ?? 'Filesystem']),
  }),
  v1({
    kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', shortNames: ['pvc'], status: true,
    strategy: { prepareForCreate: (o) => void (o.status = { phase: 'Pending' }), defaults: (o: any) => void ((o.spec ??= {}).volumeMode ??= 'Filesystem') },
    table: table([nameCol, col('Status', 'Phase.'), col('Volume', 'Bound volume.'), col('Capacity', 'Capacity.'), col('Access Modes', 'Access modes.'), col('StorageClass', 'Storage class.'),
      col('VolumeAttributesClass', 'Volume attributes class.'), ageCol, wide(col('VolumeMode', 'Volume mode.'))],
    (o, now) => [o.metadata.name, o.status?.phase ?? 'Pending', o.spec?.volumeName ?? '', o.status?.capacity?.storage ?? '', accessModes(o.status?.accessModes),
      o.spec?.storageClassName ?? '', '<unset>', created(o, now), o.spec?.volumeMode ?? 'Filesystem']),
  }),
  v1({ kind: 'ResourceQuota', plural: 'resourcequotas', shortNames: ['quota'], status: true }),
  v1({ kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'] }),
];

function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return (modes ?? []).map((m) => short[m] ?? m).join(',');
}

const keyRe = /^[-._a-zA-Z0-9]+$/;
function validateDataKeys(obj: KObject): FieldError[] {
  const out: FieldError[] = [];
  for (const field of ['data', 'binaryData']) {
    const m = obj[field];
    if (m === undefined || m === null) continue;
    if (typeof m !== 'object' || Array.isArray(m)) {
      out.push(invalidValue(field, m, 'must be a map'));
      continue;
    }
    for (const k of Object.keys(m)) {
      if (!keyRe.test(k) || k.length > 253) out.push(invalidValue(field, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    }
  }
  return out;
}
