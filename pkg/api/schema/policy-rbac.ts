// policy/v1 PodDisruptionBudget and Eviction; rbac.authorization.k8s.io/v1 roles and bindings.
// Field inventory, types and patch tags follow k8s.io/api v0.32; descriptions are skiff's own.
import { int32, int64, intOrString, list, map, obj, oneOf, ref, str, strList, time, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

export const policyRbacSchemas: SchemaSet = {
  'policy.v1.PodDisruptionBudget': obj('Limits how many pods of a set may be down at once from voluntary disruptions such as drains.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('policy.v1.PodDisruptionBudgetSpec', 'Selector and availability requirement.'),
    status: ref('policy.v1.PodDisruptionBudgetStatus', 'Observed health and allowed disruptions. Read-only.'),
  }),
  'policy.v1.PodDisruptionBudgetSpec': obj('Desired availability of a set of pods.', {
    minAvailable: intOrString('Pods that must stay available, as a number or percentage.'),
    selector: ref('meta.v1.LabelSelector', 'Pods covered; null matches none and empty matches all.', { patchStrategy: 'replace' }),
    maxUnavailable: intOrString('Pods that may be unavailable, as a number or percentage.'),
    unhealthyPodEvictionPolicy: oneOf(['IfHealthyBudget', 'AlwaysAllow'], 'When unhealthy pods may be evicted: IfHealthyBudget (default) or AlwaysAllow.'),
  }),
  'policy.v1.PodDisruptionBudgetStatus': obj('Observed state of a disruption budget.', {
    observedGeneration: int64('Generation last acted on by the controller.'),
    disruptedPods: map(time(), 'Pods being evicted, with when the eviction was accepted.'),
    disruptionsAllowed: int32('Evictions currently allowed.'),
    currentHealthy: int32('Healthy pods now.'),
    desiredHealthy: int32('Fewest healthy pods wanted.'),
    expectedPods: int32('Pods counted by the budget.'),
    conditions: list(ref('meta.v1.Condition'), 'Current conditions, such as DisruptionAllowed.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  }, ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']),
  'policy.v1.Eviction': obj("A request, posted to a pod's eviction subresource, to evict it while honouring disruption budgets.", {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Name and namespace of the pod.'),
    deleteOptions: ref('meta.v1.DeleteOptions', 'Options for deleting the pod.'),
  }),
  'rbac.v1.Role': obj('A set of permissions within one namespace.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    rules: list(ref('rbac.v1.PolicyRule'), 'Permissions the role grants.', { listType: 'atomic' }),
  }),
  'rbac.v1.PolicyRule': obj('Verbs allowed on resources or non-resource URLs.', {
    verbs: strList('Verbs allowed, such as get, list or create; * means all.', { listType: 'atomic' }),
    apiGroups: strList('API groups of the resources; empty string is the core group, * means all.', { listType: 'atomic' }),
    resources: strList('Resources, such as pods or pods/log; * means all.', { listType: 'atomic' }),
    resourceNames: strList('Names the rule is limited to; empty means all.', { listType: 'atomic' }),
    nonResourceURLs: strList('URL paths, such as /healthz, for cluster roles; a trailing * matches a prefix.', { listType: 'atomic' }),
  }, ['verbs']),
  'rbac.v1.ClusterRole': obj('A set of permissions across the cluster or for non-resource URLs.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    rules: list(ref('rbac.v1.PolicyRule'), 'Permissions the role grants.', { listType: 'atomic' }),
    aggregationRule: ref('rbac.v1.AggregationRule', 'Selectors of cluster roles whose rules are combined into this one.'),
  }),
  'rbac.v1.AggregationRule': obj("How a cluster role's rules are assembled from other cluster roles.", {
    clusterRoleSelectors: list(ref('meta.v1.LabelSelector'), 'Label selectors of the cluster roles to combine.', { listType: 'atomic' }),
  }),
  'rbac.v1.RoleBinding': obj("Grants a role's permissions to subjects within a namespace.", {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    subjects: list(ref('rbac.v1.Subject'), 'Users, groups and service accounts granted the role.', { listType: 'atomic' }),
    roleRef: ref('rbac.v1.RoleRef', 'Role or ClusterRole granted; cannot be changed.'),
  }, ['roleRef']),
  'rbac.v1.Subject': obj('A user, group or service account.', {
    kind: str('User, Group or ServiceAccount.'),
    apiGroup: str('rbac.authorization.k8s.io for users and groups, empty for service accounts.'),
    name: str('Name of the subject.'),
    namespace: str('Namespace of a service account.'),
  }, ['kind', 'name']),
  'rbac.v1.RoleRef': obj('Reference to a Role or ClusterRole.', {
    apiGroup: str('API group of the role.'),
    kind: str('Role or ClusterRole.'),
    name: str('Name of the role.'),
  }, ['apiGroup', 'kind', 'name']),
  'rbac.v1.ClusterRoleBinding': obj("Grants a cluster role's permissions to subjects across the cluster.", {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    subjects: list(ref('rbac.v1.Subject'), 'Users, groups and service accounts granted the role.', { listType: 'atomic' }),
    roleRef: ref('rbac.v1.RoleRef', 'ClusterRole granted; cannot be changed.'),
  }, ['roleRef']),
};
