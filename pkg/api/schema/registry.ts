// Every named schema, and which of them are API kinds (group/version/kind → schema id).
import type { Schema, SchemaSet } from './dsl.ts';
import { appsSchemas } from './apps.ts';
import { authSchemas } from './auth.ts';
import { autoscalingSchemas } from './autoscaling.ts';
import { batchSchemas } from './batch.ts';
import { clusterSchemas } from './cluster.ts';
import { coreContainerSchemas } from './core-container.ts';
import { coreMiscSchemas } from './core-misc.ts';
import { coreNodeSchemas } from './core-node.ts';
import { corePodSchemas } from './core-pod.ts';
import { coreServiceSchemas } from './core-service.ts';
import { coreStorageSchemas } from './core-storage.ts';
import { coreVolumeSchemas } from './core-volume.ts';
import { metaSchemas } from './meta.ts';
import { networkingSchemas } from './networking.ts';
import { policyRbacSchemas } from './policy-rbac.ts';
import { scalarSchemas } from './scalars.ts';

/** What names a kind: the API group ('' for core), version and kind. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export const schemas: SchemaSet = {
  ...scalarSchemas, ...metaSchemas,
  ...corePodSchemas, ...coreContainerSchemas, ...coreVolumeSchemas, ...coreStorageSchemas,
  ...coreNodeSchemas, ...coreServiceSchemas, ...coreMiscSchemas,
  ...appsSchemas, ...batchSchemas, ...autoscalingSchemas, ...networkingSchemas, ...policyRbacSchemas, ...clusterSchemas, ...authSchemas,
};

/** Schema id prefix ('networking.v1') → API group, for the groups whose name differs from the prefix. */
const groupOfPrefix: Record<string, string> = {
  core: '', meta: '', networking: 'networking.k8s.io', rbac: 'rbac.authorization.k8s.io', storage: 'storage.k8s.io', scheduling: 'scheduling.k8s.io',
  authentication: 'authentication.k8s.io', authorization: 'authorization.k8s.io', coordination: 'coordination.k8s.io', discovery: 'discovery.k8s.io', events: 'events.k8s.io',
};

/** The schema ids that are kinds: they carry apiVersion/kind and are served or sent as whole objects. */
const kindIds = [
  'core.v1.Namespace', 'core.v1.Pod', 'core.v1.Node', 'core.v1.Service', 'core.v1.Endpoints', 'core.v1.ConfigMap',
  'core.v1.Secret', 'core.v1.ServiceAccount', 'core.v1.Event', 'core.v1.PersistentVolume', 'core.v1.PersistentVolumeClaim',
  'core.v1.ResourceQuota', 'core.v1.LimitRange', 'core.v1.Binding',
  'events.v1.Event',
  'apps.v1.Deployment', 'apps.v1.ReplicaSet', 'apps.v1.StatefulSet', 'apps.v1.DaemonSet', 'apps.v1.ControllerRevision',
  'batch.v1.Job', 'batch.v1.CronJob',
  'autoscaling.v1.HorizontalPodAutoscaler', 'autoscaling.v2.HorizontalPodAutoscaler', 'autoscaling.v1.Scale',
  'coordination.v1.Lease', 'discovery.v1.EndpointSlice',
  'networking.v1.Ingress', 'networking.v1.IngressClass', 'networking.v1.NetworkPolicy',
  'policy.v1.PodDisruptionBudget', 'policy.v1.Eviction',
  'scheduling.v1.PriorityClass',
  'rbac.v1.Role', 'rbac.v1.ClusterRole', 'rbac.v1.RoleBinding', 'rbac.v1.ClusterRoleBinding',
  'storage.v1.StorageClass',
  'authentication.v1.TokenRequest', 'authentication.v1.TokenReview', 'authentication.v1.SelfSubjectReview',
  'authorization.v1.SubjectAccessReview', 'authorization.v1.LocalSubjectAccessReview', 'authorization.v1.SelfSubjectAccessReview', 'authorization.v1.SelfSubjectRulesReview',
  'meta.v1.Status', 'meta.v1.DeleteOptions',
];

export function gvkOfId(id: string): GroupVersionKind {
  const [prefix, version, kind] = id.split('.');
  return { group: groupOfPrefix[prefix] ?? prefix, version, kind };
}

const gvkKey = (g: GroupVersionKind) => `${g.group}/${g.version}/${g.kind}`;
const idByGvk = new Map(kindIds.map((id) => [gvkKey(gvkOfId(id)), id]));

/** The schema id of a kind, or undefined when skiff has no schema for it. */
export const schemaIdFor = (gvk: GroupVersionKind): string | undefined => idByGvk.get(gvkKey(gvk));

export const kindSchemaIds: readonly string[] = kindIds;

/**
 * Follows `ref` to the named schema. The field-level node keeps its own description and patch
 * tags; the named schema supplies the structure.
 */
export function resolve(s: Schema): Schema {
  if (!s.ref) return s;
  const target = schemas[s.ref];
  if (!target) throw new Error(`schema ${s.ref} is not defined`);
  return target;
}
