// core/v1 Namespace, ConfigMap, Secret, ServiceAccount, Event, ResourceQuota, LimitRange, Binding and shared references.
// Field inventory, types and patch tags follow k8s.io/api v0.32; descriptions are skiff's own.
import { bool, bytes, int32, list, map, microTime, obj, oneOf, quantity, ref, str, strList, strMap, time, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

export const coreMiscSchemas: SchemaSet = {
  'core.v1.Namespace': obj('A scope for names; most objects live in exactly one namespace.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('core.v1.NamespaceSpec', 'Finalizers of the namespace.'),
    status: ref('core.v1.NamespaceStatus', 'Phase and conditions of the namespace. Read-only.'),
  }),
  'core.v1.NamespaceSpec': obj('Desired state of a namespace.', {
    finalizers: strList('Values that must be removed before the namespace is deleted from storage.', { listType: 'atomic' }),
  }),
  'core.v1.NamespaceStatus': obj('Observed state of a namespace.', {
    phase: oneOf(['Active', 'Terminating'], 'Active, or Terminating while its content is being deleted.'),
    conditions: list(ref('core.v1.NamespaceCondition'), 'Current conditions, mostly about deletion progress.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  }),
  'core.v1.NamespaceCondition': obj('One condition of a namespace.', {
    type: str('Condition type, such as NamespaceContentRemaining.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, ['type', 'status']),
  'core.v1.LocalObjectReference': obj('Reference to an object by name in the same namespace.', {
    name: str('Name of the object.'),
  }),
  'core.v1.ConfigMap': obj('Non-secret configuration data for pods, as key/value pairs.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    immutable: bool('Forbid changes to data and binaryData once set.'),
    data: strMap("UTF-8 values by key; keys use letters, digits, '-', '_' and '.'."),
    binaryData: map(bytes(), 'Binary values by key, base64-encoded; keys must not repeat those of data.'),
  }),
  'core.v1.Secret': obj('Sensitive data, such as passwords, tokens or keys, for pods to consume.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    immutable: bool('Forbid changes to data once set.'),
    data: map(bytes(), 'Values by key, base64-encoded.'),
    stringData: strMap('Write-only plain-text values merged into data on write; they win over data.'),
    type: str('Kind of secret, such as Opaque, kubernetes.io/tls or kubernetes.io/dockerconfigjson.'),
  }),
  'core.v1.ServiceAccount': obj('An identity for processes that run in pods.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    secrets: list(ref('core.v1.ObjectReference'), 'Secrets pods of this account may use; token secrets are no longer generated.', { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] }),
    imagePullSecrets: list(ref('core.v1.LocalObjectReference'), 'Registry credentials added to pods that use this account.', { listType: 'atomic' }),
    automountServiceAccountToken: bool("Whether pods of this account get an API token mounted; a pod's own setting wins."),
  }),
  'core.v1.Event': obj('A report of something that happened to an object; events expire after a while.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    involvedObject: ref('core.v1.ObjectReference', 'Object the event is about.'),
    reason: str('Short CamelCase reason, such as Scheduled or BackOff.'),
    message: str('Human-readable description.'),
    source: ref('core.v1.EventSource', 'Component and host that reported the event.'),
    firstTimestamp: time('When the event was first recorded.'),
    lastTimestamp: time('When the event was most recently recorded.'),
    count: int32('Times the event has occurred.'),
    type: str('Normal or Warning.'),
    eventTime: microTime('When the event was first observed, with microseconds.'),
    series: ref('core.v1.EventSeries', 'Repetition data when the event recurs.'),
    action: str('What was done, or failed, about the object.'),
    related: ref('core.v1.ObjectReference', 'A secondary object involved.'),
    reportingComponent: str('Controller that emitted the event, such as kubelet.'),
    reportingInstance: str('Instance of that controller, such as a node name.'),
  }, ['metadata', 'involvedObject']),
  'core.v1.EventSource': obj('Who reported an event.', {
    component: str('Reporting component.'),
    host: str('Node the event came from.'),
  }),
  'core.v1.EventSeries': obj('Repetition data of a recurring event.', {
    count: int32('Occurrences so far.'),
    lastObservedTime: microTime('Time of the last occurrence.'),
  }),
  'core.v1.ResourceQuota': obj('Limits on the total resources used and objects created in a namespace.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('core.v1.ResourceQuotaSpec', 'Hard limits to enforce.'),
    status: ref('core.v1.ResourceQuotaStatus', 'Enforced limits and current usage. Read-only.'),
  }),
  'core.v1.ResourceQuotaSpec': obj('Hard limits of a quota.', {
    hard: map(quantity(), 'Limit per resource name, such as requests.cpu or count/pods.'),
    scopes: list(oneOf(['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity']), 'Only count objects in all of these scopes.', { listType: 'atomic' }),
    scopeSelector: ref('core.v1.ScopeSelector', 'Only count objects matching these scope expressions.'),
  }),
  'core.v1.ScopeSelector': obj('Scope requirements that are ANDed.', {
    matchExpressions: list(ref('core.v1.ScopedResourceSelectorRequirement'), 'The requirements.', { listType: 'atomic' }),
  }),
  'core.v1.ScopedResourceSelectorRequirement': obj('A quota scope, an operator and values.', {
    scopeName: oneOf(['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'], 'Scope the requirement applies to.'),
    operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist'], 'In, NotIn, Exists or DoesNotExist.'),
    values: strList('Values for In and NotIn.', { listType: 'atomic' }),
  }, ['scopeName', 'operator']),
  'core.v1.ResourceQuotaStatus': obj('Enforced limits and usage.', {
    hard: map(quantity(), 'Limits being enforced.'),
    used: map(quantity(), 'Current usage per resource name.'),
  }),
  'core.v1.LimitRange': obj('Per-object resource minimums, maximums and defaults in a namespace.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('core.v1.LimitRangeSpec', 'Limits to enforce.'),
  }),
  'core.v1.LimitRangeSpec': obj('Limits of a LimitRange.', {
    limits: list(ref('core.v1.LimitRangeItem'), 'Limits per object type.', { listType: 'atomic' }),
  }, ['limits']),
  'core.v1.LimitRangeItem': obj('Limits for one type of object.', {
    type: str('Container, Pod or PersistentVolumeClaim.'),
    max: map(quantity(), 'Maximum per resource name.'),
    min: map(quantity(), 'Minimum per resource name.'),
    default: map(quantity(), 'Limit applied when a container sets none.'),
    defaultRequest: map(quantity(), 'Request applied when a container sets none.'),
    maxLimitRequestRatio: map(quantity(), 'Largest allowed limit-to-request ratio per resource.'),
  }, ['type']),
  'core.v1.Binding': obj('Binds an object to another, such as a pod to a node; posted by schedulers.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    target: ref('core.v1.ObjectReference', 'Object to bind to, such as the node.'),
  }, ['target']),
  'core.v1.TopologySelectorTerm': obj('Topology requirements that are ANDed.', {
    matchLabelExpressions: list(ref('core.v1.TopologySelectorLabelRequirement'), 'Requirements on topology labels.', { listType: 'atomic' }),
  }),
  'core.v1.TopologySelectorLabelRequirement': obj('A topology label and the values it may have.', {
    key: str('Label key.'),
    values: strList('Allowed values; any one may match.', { listType: 'atomic' }),
  }, ['key', 'values']),
};
