import { appsV1 } from './schema/apps-v1.ts';
import { authenticationV1, authorizationV1 } from './schema/auth.ts';
import { autoscalingV1, autoscalingV2 } from './schema/autoscaling.ts';
import { batchV1 } from './schema/batch-v1.ts';
import { coreV1 } from './schema/core-v1.ts';
import { metaV1 } from './schema/meta-v1.ts';
import { networkingV1 } from './schema/networking-v1.ts';
import { policyV1 } from './schema/policy-v1.ts';
import { rbacV1 } from './schema/rbac-v1.ts';
import { schedulingV1 } from './schema/scheduling-v1.ts';
import { buildSchema } from './schema/spec.ts';

export const schema = buildSchema([metaV1, coreV1, appsV1, batchV1, autoscalingV1, autoscalingV2, authenticationV1, authorizationV1,
  networkingV1, policyV1, rbacV1, schedulingV1]);

/**
 * The top-level kinds a protobuf body may carry, by apiVersion, and their message: those client-go's
 * typed clients send (kubectl create's generators, autoscale, drain, auth can-i, create token) and
 * their siblings in the same packages.
 */
const topLevel: Record<string, string[]> = {
  'v1': ['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Service', 'ResourceQuota', 'Pod', 'PodTemplate', 'Binding', 'Endpoints',
    'LimitRange', 'PersistentVolumeClaim'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
  'batch/v1': ['Job', 'CronJob'],
  'autoscaling/v1': ['HorizontalPodAutoscaler', 'Scale'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'authentication.k8s.io/v1': ['TokenRequest', 'TokenReview', 'SelfSubjectReview'],
  'authorization.k8s.io/v1': ['SelfSubjectAccessReview', 'SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectRulesReview'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'policy/v1': ['PodDisruptionBudget', 'Eviction'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
};

const packageOf = (apiVersion: string) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  return `${group.split('.')[0]}.${version}`;
};

/**
 * The message for a body's apiVersion and kind, or undefined. DeleteOptions travels under the
 * version of whatever group the DELETE addressed (client-go encodes it with the client's
 * GroupVersion), so any apiVersion is taken for it.
 */
export function messageFor(apiVersion: string, kind: string): string | undefined {
  if (kind === 'DeleteOptions') return 'meta.v1.DeleteOptions';
  if (!topLevel[apiVersion]?.includes(kind)) return undefined;
  const name = `${packageOf(apiVersion)}.${kind}`;
  return schema.has(name) ? name : undefined;
}

export const protobufKinds = (): string[] => Object.entries(topLevel).flatMap(([v, kinds]) => kinds.map((k) => `${v}/${k}`));
