import type { ResourceDef } from '../../../pkg/api/resource.ts';

/** Where the fuzzer writes: namespaced kinds in this namespace, cluster-scoped ones under names with this prefix. */
export const fuzzNamespace = 'fuzz';
export const clusterPrefix = 'fz-';

const podSpec = (restartPolicy = 'Always') => ({
  restartPolicy,
  containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'], ports: [{ containerPort: 8080, name: 'http' }],
    env: [{ name: 'MODE', value: 'fuzz' }], resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } } }],
});
const template = (app: string, restartPolicy?: string) => ({ metadata: { labels: { app } }, spec: podSpec(restartPolicy) });

/**
 * A valid body for a kind, by `group/plural`; kinds without one get a bare object of their kind.
 * Selectors are unique per name so seeds never adopt each other's pods.
 */
const bodies: Record<string, (name: string) => Record<string, unknown>> = {
  '/namespaces': () => ({}),
  '/pods': (name) => ({ metadata: { labels: { app: `pod-${name}` } }, spec: podSpec() }),
  '/services': (name) => ({ spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'udp', port: 53, protocol: 'UDP' }] } }),
  '/configmaps': () => ({ data: { 'app.conf': 'key=value\n', mode: 'fast' }, binaryData: { blob: 'AAEC/w==' } }),
  '/secrets': () => ({ type: 'Opaque', data: { password: 'aHVudGVyMg==' }, stringData: { user: 'admin' } }),
  '/serviceaccounts': () => ({ automountServiceAccountToken: false, imagePullSecrets: [{ name: 'reg' }] }),
  '/persistentvolumeclaims': () => ({ spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'none' } }),
  '/resourcequotas': () => ({ spec: { hard: { pods: '1000', 'requests.cpu': '100' } } }),
  '/limitranges': () => ({ spec: { limits: [{ type: 'Container', default: { memory: '128Mi' }, defaultRequest: { cpu: '5m' } }] } }),
  'apps/deployments': (name) => ({ spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: template(name), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } } }),
  'apps/replicasets': (name) => ({ spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: template(name) } }),
  'apps/statefulsets': (name) => ({ spec: { replicas: 1, serviceName: name, selector: { matchLabels: { app: name } }, template: template(name) } }),
  'apps/daemonsets': (name) => ({ spec: { selector: { matchLabels: { app: name } }, template: template(name) } }),
  'batch/jobs': (name) => ({ spec: { backoffLimit: 1, completions: 1, template: template(name, 'Never') } }),
  'batch/cronjobs': (name) => ({ spec: { schedule: '0 0 1 1 *', suspend: true, jobTemplate: { spec: { template: template(name, 'OnFailure') } } } }),
  'autoscaling/horizontalpodautoscalers': () => ({ spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'none' }, minReplicas: 1, maxReplicas: 3 } }),
  'networking.k8s.io/ingresses': () => ({ spec: { rules: [{ host: 'fuzz.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } }),
  'networking.k8s.io/networkpolicies': () => ({ spec: { podSelector: { matchLabels: { app: 'none' } }, policyTypes: ['Ingress'] } }),
  'policy/poddisruptionbudgets': (name) => ({ spec: { minAvailable: 1, selector: { matchLabels: { app: name } } } }),
  'rbac.authorization.k8s.io/roles': () => ({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }),
  'rbac.authorization.k8s.io/clusterroles': () => ({ rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] }),
  'rbac.authorization.k8s.io/rolebindings': () => ({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'ann', apiGroup: 'rbac.authorization.k8s.io' }] }),
  'rbac.authorization.k8s.io/clusterrolebindings': () => ({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }] }),
  'coordination.k8s.io/leases': () => ({ spec: { holderIdentity: 'fuzz', leaseDurationSeconds: 15 } }),
  'networking.k8s.io/ingressclasses': () => ({ spec: { controller: 'example.com/ingress' } }),
  'apiextensions.k8s.io/customresourcedefinitions': () => ({
    spec: { group: 'fuzz.example', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
  }),
};

export const hasSeed = (def: ResourceDef) => `${def.group}/${def.plural}` in bodies;

/** A valid object of the kind, named and placed where the fuzzer may write. */
export function seedObject(def: ResourceDef, name: string): Record<string, unknown> {
  const body = bodies[`${def.group}/${def.plural}`]?.(name) ?? {};
  const metadata = { name, ...(def.namespaced ? { namespace: fuzzNamespace } : {}), labels: { fuzz: 'seed' }, ...(body.metadata as object ?? {}) };
  return { apiVersion: def.group ? `${def.group}/${def.version}` : def.version, kind: def.kind, ...body, metadata };
}

/**
 * Kinds the fuzzer writes. Nodes, persistent volumes and storage classes are read only: a fuzzed
 * node would get the seed pods scheduled and a fuzzed volume would bind the seed claims, changes
 * no rejected request made but which the store check could not tell apart.
 */
export const writable = (def: ResourceDef) => !['/nodes', '/persistentvolumes', 'storage.k8s.io/storageclasses', '/events', 'events.k8s.io/events'].includes(`${def.group}/${def.plural}`);
