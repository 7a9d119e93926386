import type { ResourceDef, Subresource } from '../../../pkg/api/resource.ts';

// The issue-3 resource table as far as OpenAPI cares (names, scope, subresources); the real
// table lives in pkg/api/resources and carries strategies and columns on top.
const row = (group: string, version: string, kind: string, plural: string, namespaced: boolean, shortNames: string[] = [], subresources: Subresource[] = []): ResourceDef => ({
  group, version, kind, plural, singular: kind.toLowerCase(), namespaced, shortNames, subresources,
  storage: { group, resource: plural },
});
const status: Subresource = { name: 'status' };
const scale: Subresource = { name: 'scale', specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };

export const resourceTable: ResourceDef[] = [
  row('', 'v1', 'Namespace', 'namespaces', false, ['ns'], [status, { name: 'finalize' }]),
  row('', 'v1', 'Pod', 'pods', true, ['po'], [status, { name: 'binding' }, { name: 'eviction' }, { name: 'log' }, { name: 'exec' }]),
  row('', 'v1', 'Node', 'nodes', false, ['no'], [status]),
  row('', 'v1', 'Service', 'services', true, ['svc'], [status]),
  row('', 'v1', 'Endpoints', 'endpoints', true, ['ep']),
  row('', 'v1', 'ConfigMap', 'configmaps', true, ['cm']),
  row('', 'v1', 'Secret', 'secrets', true),
  row('', 'v1', 'ServiceAccount', 'serviceaccounts', true, ['sa']),
  row('', 'v1', 'Event', 'events', true, ['ev']),
  row('', 'v1', 'PersistentVolume', 'persistentvolumes', false, ['pv'], [status]),
  row('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc'], [status]),
  row('', 'v1', 'ResourceQuota', 'resourcequotas', true, ['quota'], [status]),
  row('', 'v1', 'LimitRange', 'limitranges', true, ['limits']),
  row('events.k8s.io', 'v1', 'Event', 'events', true, ['ev']),
  row('apps', 'v1', 'Deployment', 'deployments', true, ['deploy'], [status, scale]),
  row('apps', 'v1', 'ReplicaSet', 'replicasets', true, ['rs'], [status, scale]),
  row('apps', 'v1', 'StatefulSet', 'statefulsets', true, ['sts'], [status, scale]),
  row('apps', 'v1', 'DaemonSet', 'daemonsets', true, ['ds'], [status]),
  row('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
  row('batch', 'v1', 'Job', 'jobs', true, [], [status]),
  row('batch', 'v1', 'CronJob', 'cronjobs', true, ['cj'], [status]),
  row('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, ['hpa'], [status]),
  row('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, ['hpa'], [status]),
  row('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  row('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  row('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, ['ing'], [status]),
  row('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  row('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, ['netpol']),
  row('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, ['pdb'], [status]),
  row('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  row('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  row('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  row('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  row('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, ['sc']),
];
