import type { ResourceDef } from '../resource.ts';
import type { FieldError } from '../status.ts';
import { ageCol, col, createdAtTable, created, nameCol, resource, table, wide } from './define.ts';
import { quantity, sortedUnique } from './format.ts';
import { podFieldSelectors, podStrategy, podTable } from './pod.ts';
import { eventFieldSelectors, eventTable, validateCoreEvent } from './events.ts';
import { serviceStrategy, serviceTable } from './service.ts';
import { configMapRow, secretRow } from './config.ts';
import { persistentVolumeClaimRow, persistentVolumeRow } from './storage.ts';
import { validateLimitRange } from './limit-range-validation.ts';
import { validateResourceQuota } from './quota-validation.ts';

/** The core/v1 rows of the resource table. */

const v1 = (row: Parameters<typeof resource>[2]) => resource('', 'v1', row);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** printNode's STATUS: Ready / NotReady (False or Unknown) / Unknown (no condition), then SchedulingDisabled. */
function nodeStatus(node: any): string {
  const ready = arr(node.status?.conditions).find((c) => c?.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: any): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.push(role);
    } else if (k === 'kubernetes.io/role' && v) roles.push(String(v));
  }
  return sortedUnique(roles).join(',') || '<none>';
}

const address = (node: any, type: string) => arr(node.status?.addresses).find((a) => a?.type === type)?.address ?? '<none>';
const unknown = (s: string | undefined) => s || '<unknown>';

/** formatEndpoints: ip:port per port, then per address; three at most. */
function endpoints(o: any): string {
  const subsets = arr(o.subsets);
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  for (const ss of subsets) {
    const ports = arr(ss.ports);
    if (!ports.length) for (const a of arr(ss.addresses)) list.push(a.ip);
    else for (const p of ports) for (const a of arr(ss.addresses)) list.push(String(a.ip).includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
  }
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

/** printResourceQuota: `resource: used/hard` sorted by name, limits.* in the Limit column. */
function quotaCells(o: any): [string, string] {
  const request: string[] = [];
  const limit: string[] = [];
  for (const r of Object.keys(o.spec?.hard ?? {}).sort()) {
    const cell = `${r}: ${quantity(o.status?.used?.[r])}/${quantity(o.status?.hard?.[r])}`;
    (r.split('.').length > 1 && r.split('.')[0] === 'limits' ? limit : request).push(cell);
  }
  return [request.join(', '), limit.join(', ')];
}

/** SetDefaults_LimitRangeItem: a container item's default comes from max, its defaultRequest from default, then min. */
function defaultLimitRange(o: any): void {
  for (const item of arr(o.spec?.limits)) {
    if (item?.type !== 'Container') continue;
    // Empty maps stay absent, as omitempty drops them.
    const def = { ...item.max, ...item.default };
    if (Object.keys(def).length) item.default = def;
    const req = { ...item.min, ...item.default, ...item.defaultRequest };
    if (Object.keys(req).length) item.defaultRequest = req;
  }
}

export const core: ResourceDef[] = [
  v1({
    kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], status: true, nameRule: 'label',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ name: 'finalize' }],
    strategy: {
      prepareForCreate(obj: any) {
        obj.status = { phase: 'Active' };
        // The kubernetes finalizer is required on create; later writes may drop it (via finalize).
        const spec = (obj.spec && typeof obj.spec === 'object' ? obj.spec : (obj.spec = {}));
        const fins = Array.isArray(spec.finalizers) ? spec.finalizers : [];
        spec.finalizers = fins.includes('kubernetes') ? fins : [...fins, 'kubernetes'];
      },
      prepareForUpdate(obj: any, old: any) {
        obj.spec = { ...obj.spec, finalizers: old.spec?.finalizers };
        if (obj.spec.finalizers === undefined) delete obj.spec.finalizers;
      },
      defaults(obj: any) {
        (obj.status ??= {}).phase ||= 'Active';
        if (obj.metadata.name) (obj.metadata.labels ??= {})['kubernetes.io/metadata.name'] = obj.metadata.name;
      },
      validate(obj: any): FieldError[] {
        // Canonicalize: a generated name is only known now (validation runs after naming).
        if (obj.metadata.name) (obj.metadata.labels ??= {})['kubernetes.io/metadata.name'] = obj.metadata.name;
        return [];
      },
    },
    table: table([nameCol, col('Status', 'The status of the namespace'), ageCol], (o, now) => [o.metadata.name, o.status?.phase ?? '', created(o, now)]),
    fieldSelectors: { 'status.phase': (o: any) => o.status?.phase ?? '' },
  }),
  v1({
    kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'], status: true,
    subresources: [{ name: 'binding', kind: 'Binding', verbs: ['create'] }, { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] }, { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] }, { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      { name: 'ephemeralcontainers' }],
    strategy: podStrategy, table: podTable, fieldSelectors: podFieldSelectors,
  }),
  v1({
    // Nodes register with their own status (kubelet does), so a create keeps it.
    kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'], status: true, statusOnCreate: true,
    strategy: {
      // SetDefaults_NodeStatus: allocatable defaults to capacity.
      defaults: (o: any) => void (o.status?.capacity && !o.status.allocatable && (o.status.allocatable = { ...o.status.capacity })),
    },
    table: table([nameCol, col('Status', 'The status of the node'), col('Roles', 'The roles of the node'), ageCol, col('Version', 'Kubelet Version reported by the node.'),
      wide(col('Internal-IP', 'List of addresses reachable to the node.')), wide(col('External-IP', 'List of addresses reachable to the node.')), wide(col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).')),
      wide(col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).")), wide(col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'))],
    (o, now) => [o.metadata.name, nodeStatus(o), nodeRoles(o), created(o, now), o.status?.nodeInfo?.kubeletVersion ?? '', address(o, 'InternalIP'), address(o, 'ExternalIP'),
      unknown(o.status?.nodeInfo?.osImage), unknown(o.status?.nodeInfo?.kernelVersion), unknown(o.status?.nodeInfo?.containerRuntimeVersion)]),
    fieldSelectors: { 'spec.unschedulable': (o: any) => String(o.spec?.unschedulable ?? false) },
  }),
  v1({ kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'], status: true, nameRule: 'dns1035', strategy: serviceStrategy, table: serviceTable,
    fieldSelectors: { 'spec.clusterIP': (o: any) => o.spec?.clusterIP ?? '', 'spec.type': (o: any) => o.spec?.type ?? '' } }),
  v1({
    kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'],
    strategy: { defaults: (o: any) => arr(o.subsets).forEach((ss) => arr(ss?.ports).forEach((p) => p && typeof p === 'object' && (p.protocol ||= 'TCP'))) },
    table: table([nameCol, col('Endpoints', 'The set of all endpoints is the union of all subsets.'), ageCol], (o, now) => [o.metadata.name, endpoints(o), created(o, now)]),
  }),
  v1(configMapRow),
  v1(secretRow),
  v1({
    kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'],
    subresources: [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }],
    table: table([nameCol, col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageCol],
      (o, now) => [o.metadata.name, arr(o.secrets).length, created(o, now)]),
  }),
  v1({ kind: 'Event', plural: 'events', shortNames: ['ev'], nameRule: 'path', strategy: { validate: validateCoreEvent }, table: eventTable, fieldSelectors: eventFieldSelectors }),
  v1(persistentVolumeRow),
  v1(persistentVolumeClaimRow),
  v1({
    kind: 'ResourceQuota', plural: 'resourcequotas', shortNames: ['quota'], status: true, strategy: { validate: validateResourceQuota },
    table: table([nameCol, ageCol, col('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
      col('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.')],
    (o, now) => [o.metadata.name, created(o, now), ...quotaCells(o)]),
  }),
  v1({ kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'], strategy: { defaults: defaultLimitRange, validate: validateLimitRange }, table: createdAtTable }),
];
