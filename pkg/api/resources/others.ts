import type { ResourceDef } from '../resource.ts';
import type { KObject } from '../types/index.ts';
import { col, created, nameCol, ageCol, resource, table, wide } from './define.ts';
import { none, selectorString } from './format.ts';
import { coreToEventsV1, eventFieldSelectors, eventsV1ToCore } from './events.ts';

const n = (v: unknown) => (typeof v === 'number' ? v : 0);

/** autoscaling/v1 HPA ⇄ v2 (the storage version): the CPU utilization target is one Resource metric. */
function hpaV1ToV2(o: KObject): KObject {
  const { targetCPUUtilizationPercentage, ...spec } = (o.spec ?? {}) as any;
  const { currentCPUUtilizationPercentage, ...status } = (o.status ?? {}) as any;
  return {
    ...o, apiVersion: 'autoscaling/v2',
    spec: { ...spec, ...(targetCPUUtilizationPercentage !== undefined ? { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage } } }] } : {}) },
    ...(o.status !== undefined ? {
      status: { ...status, ...(currentCPUUtilizationPercentage !== undefined ? { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCPUUtilizationPercentage } } }] } : {}) },
    } : {}),
  };
}

function hpaV2ToV1(o: KObject): KObject {
  const { metrics, behavior: _b, ...spec } = (o.spec ?? {}) as any;
  const { currentMetrics, conditions: _c, ...status } = (o.status ?? {}) as any;
  const cpu = (metrics ?? []).find((m: any) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
  const cur = (currentMetrics ?? []).find((m: any) => m.type === 'Resource' && m.resource?.name === 'cpu');
  return {
    ...o, apiVersion: 'autoscaling/v1',
    spec: { ...spec, ...(cpu ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization } : {}) },
    ...(o.status !== undefined ? { status: { ...status, ...(cur?.resource?.current?.averageUtilization !== undefined ? { currentCPUUtilizationPercentage: cur.resource.current.averageUtilization } : {}) } } : {}),
  };
}

const hpaTable = table([nameCol, col('Reference', 'Scale target.'), col('Targets', 'Current and target metrics.'), col('MinPods', 'Minimum replicas.', { type: 'integer' }),
  col('MaxPods', 'Maximum replicas.', { type: 'integer' }), col('Replicas', 'Current replicas.', { type: 'integer' }), ageCol],
(o, now) => {
  const ref = o.spec?.scaleTargetRef ?? {};
  const targets = (o.spec?.metrics ?? []).map((m: any) => {
    const cur = (o.status?.currentMetrics ?? []).find((c: any) => c.type === m.type && c.resource?.name === m.resource?.name);
    const t = m.resource?.target;
    if (!t) return `<unknown>`;
    const want = t.averageUtilization !== undefined ? `${t.averageUtilization}%` : t.averageValue ?? t.value ?? '';
    const have = cur?.resource?.current?.averageUtilization !== undefined ? `${cur.resource.current.averageUtilization}%` : '<unknown>';
    return `${m.resource?.name ?? m.type}: ${have}/${want}`;
  });
  return [o.metadata.name, `${ref.kind ?? ''}/${ref.name ?? ''}`, targets.length ? targets.join(', ') : '<none>', o.spec?.minReplicas ?? 1, n(o.spec?.maxReplicas), n(o.status?.currentReplicas), created(o, now)];
});

const hpaDefaults = { defaults: (o: any) => void ((o.spec ??= {}).minReplicas ??= 1) };

export const others: ResourceDef[] = [
  resource('autoscaling', 'v2', { kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], status: true, strategy: hpaDefaults, table: hpaTable }),
  resource('autoscaling', 'v1', {
    kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], status: true, strategy: hpaDefaults,
    storage: { group: 'autoscaling', resource: 'horizontalpodautoscalers' }, toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1,
    table: { columns: hpaTable.columns, cells: (o, now) => hpaTable.cells(hpaV1ToV2(o), now) },
  }),
  resource('coordination.k8s.io', 'v1', {
    kind: 'Lease', plural: 'leases',
    table: table([nameCol, col('Holder', 'The holder of the lease.'), ageCol], (o, now) => [o.metadata.name, o.spec?.holderIdentity ?? '', created(o, now)]),
  }),
  resource('discovery.k8s.io', 'v1', {
    kind: 'EndpointSlice', plural: 'endpointslices',
    table: table([nameCol, col('AddressType', 'Address type.'), col('Ports', 'Ports.'), col('Endpoints', 'Endpoints.'), ageCol], (o, now) => {
      const ports = (o.ports ?? []).map((p: any) => String(p.port ?? '')).join(',') || '<unset>';
      const eps = (o.endpoints ?? []).flatMap((e: any) => e.addresses ?? []);
      return [o.metadata.name, o.addressType ?? '', ports, eps.length ? eps.slice(0, 3).join(',') + (eps.length > 3 ? ` + ${eps.length - 3} more...` : '') : '<unset>', created(o, now)];
    }),
  }),
  resource('networking.k8s.io', 'v1', {
    kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], status: true, generation: true,
    table: table([nameCol, col('Class', 'Ingress class.'), col('Hosts', 'Hosts.'), col('Address', 'Address.'), col('Ports', 'Ports.'), ageCol], (o, now) => {
      const hosts = (o.spec?.rules ?? []).map((r: any) => r.host).filter(Boolean);
      const addr = (o.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip ?? i.hostname).join(',');
      return [o.metadata.name, o.spec?.ingressClassName ?? '<none>', hosts.length ? hosts.join(',') : '*', addr, o.spec?.tls?.length ? '80, 443' : '80', created(o, now)];
    }),
  }),
  resource('networking.k8s.io', 'v1', {
    kind: 'IngressClass', plural: 'ingressclasses', namespaced: false,
    table: table([nameCol, col('Controller', 'Controller.'), col('Parameters', 'Parameters.'), ageCol], (o, now) => [o.metadata.name, o.spec?.controller ?? '', o.spec?.parameters ? `${o.spec.parameters.kind}/${o.spec.parameters.name}` : '<none>', created(o, now)]),
  }),
  resource('networking.k8s.io', 'v1', {
    kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'], generation: true,
    table: table([nameCol, col('Pod-Selector', 'Pod selector.'), ageCol], (o, now) => [o.metadata.name, selectorString(o.spec?.podSelector) === '<none>' ? '<none>' : selectorString(o.spec?.podSelector), created(o, now)]),
  }),
  resource('policy', 'v1', {
    kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', shortNames: ['pdb'], status: true, generation: true,
    table: table([nameCol, col('Min Available', 'Minimum available.'), col('Max Unavailable', 'Maximum unavailable.'), col('Allowed Disruptions', 'Allowed disruptions.', { type: 'integer' }), ageCol],
      (o, now) => [o.metadata.name, none(o.spec?.minAvailable?.toString()) === '<none>' ? 'N/A' : String(o.spec.minAvailable), o.spec?.maxUnavailable !== undefined ? String(o.spec.maxUnavailable) : 'N/A', n(o.status?.disruptionsAllowed), created(o, now)]),
  }),
  ...rbac(),
  resource('storage.k8s.io', 'v1', {
    kind: 'StorageClass', plural: 'storageclasses', namespaced: false, shortNames: ['sc'],
    strategy: { defaults: (o: any) => void (o.reclaimPolicy ??= 'Delete', o.volumeBindingMode ??= 'Immediate') },
    table: table([nameCol, col('Provisioner', 'Provisioner.'), col('ReclaimPolicy', 'Reclaim policy.'), col('VolumeBindingMode', 'Volume binding mode.'),
      col('AllowVolumeExpansion', 'Allow volume expansion.'), ageCol], (o, now) => {
      const isDefault = o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
      return [`${o.metadata.name}${isDefault ? ' (default)' : ''}`, o.provisioner ?? '', o.reclaimPolicy ?? 'Delete', o.volumeBindingMode ?? 'Immediate', String(o.allowVolumeExpansion ?? false), created(o, now)];
    }),
  }),
  resource('events.k8s.io', 'v1', {
    kind: 'Event', plural: 'events', shortNames: ['ev'], nameRule: 'path', storage: { group: '', resource: 'events' },
    toStorage: eventsV1ToCore, fromStorage: coreToEventsV1,
    fieldSelectors: Object.fromEntries(Object.entries(eventFieldSelectors).map(([k, f]) => [k, (o: KObject) => f(eventsV1ToCore(o))])),
  }),
];

function rbac(): ResourceDef[] {
  const r = (kind: string, plural: string, namespaced: boolean, cells: (o: any, now: Date) => (string | number)[], cols: ReturnType<typeof col>[]) =>
    resource('rbac.authorization.k8s.io', 'v1', { kind, plural, namespaced, nameRule: 'path', table: table([nameCol, ...cols], cells) });
  const subjects = (o: any, kind: string) => (o.subjects ?? []).filter((s: any) => s.kind === kind).map((s: any) => (s.namespace ? `${s.namespace}/${s.name}` : s.name)).join(', ');
  const binding = (o: any, now: Date) => [o.metadata.name, `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`, created(o, now), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')];
  const bindingCols = [col('Role', 'Role.'), ageCol, wide(col('Users', 'Users.')), wide(col('Groups', 'Groups.')), wide(col('ServiceAccounts', 'Service accounts.'))];
  return [
    r('Role', 'roles', true, (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''], [col('Created At', 'Creation time.', { type: 'date' })]),
    r('ClusterRole', 'clusterroles', false, (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''], [col('Created At', 'Creation time.', { type: 'date' })]),
    r('RoleBinding', 'rolebindings', true, binding, bindingCols),
    r('ClusterRoleBinding', 'clusterrolebindings', false, binding, bindingCols),
  ];
}
