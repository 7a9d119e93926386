// meta/v1 types shared by every kind, and the special scalars.
// Field inventory, types and patch tags follow k8s.io/api v0.32; descriptions are skiff's own.
import { bool, int32, int64, list, obj, ref, str, strList, strMap, time, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

export const metaSchemas: SchemaSet = {
  'meta.v1.ObjectMeta': obj('Metadata every persisted object carries: identity, labels, annotations, ownership and lifecycle markers.', {
    name: str('Object name, unique per kind within its namespace; required on create unless generateName is given.'),
    generateName: str('Prefix the server uses to make a unique name when name is empty.'),
    namespace: str('Namespace the object lives in; empty means default for namespaced kinds, and cluster-scoped kinds ignore it.'),
    selfLink: str('Legacy read-only link to this object; no longer filled in.'),
    uid: str('Unique identifier the server assigns on create; never reused.'),
    resourceVersion: str('Opaque version of this object, used for optimistic concurrency and watches; set by the server.'),
    generation: int64('Number of the desired-state revision; the server increments it on spec changes. Read-only.'),
    creationTimestamp: time('Server time at which the object was created. Read-only.'),
    deletionTimestamp: time('Time after which the object is removed; set when a graceful delete is requested. Read-only.'),
    deletionGracePeriodSeconds: int64('Seconds the object has to terminate gracefully before removal. Read-only.'),
    labels: strMap('Key/value pairs used to organise and select objects.'),
    annotations: strMap('Unstructured key/value data for tools and controllers; not used for selection.'),
    ownerReferences: list(ref('meta.v1.OwnerReference'), 'Objects this one depends on; when all owners are gone the object is garbage collected.', { mergeKey: 'uid', strategy: 'merge', listType: 'map', mapKeys: ['uid'] }),
    finalizers: strList('Identifiers that must all be removed before the object is deleted from storage.', { strategy: 'merge', listType: 'set' }),
    managedFields: list(ref('meta.v1.ManagedFieldsEntry'), 'Which field manager owns which fields, maintained by the server for server-side apply.', { listType: 'atomic' }),
  }),
  'meta.v1.OwnerReference': obj('Points at an owning object in the same namespace (or a cluster-scoped owner).', {
    apiVersion: str('API version of the owner.'),
    kind: str('Kind of the owner.'),
    name: str('Name of the owner.'),
    uid: str('UID of the owner.'),
    controller: bool('True when this owner is the managing controller; at most one reference may set it.'),
    blockOwnerDeletion: bool('With foreground deletion, keeps the owner from being removed until this object is deleted.'),
  }, ['apiVersion', 'kind', 'name', 'uid']),
  'meta.v1.ManagedFieldsEntry': obj("One field manager's set of owned fields at one API version.", {
    manager: str('Name of the workflow that manages these fields.'),
    operation: str('Operation that produced this entry: Apply or Update.'),
    apiVersion: str('API version the field set is expressed in.'),
    time: time('When the entry was last changed.'),
    fieldsType: str('Format of fieldsV1; only FieldsV1 exists.'),
    fieldsV1: ref('meta.v1.FieldsV1', 'The owned field set in FieldsV1 form.'),
    subresource: str('Subresource used for the write, empty for the main resource.'),
  }),
  'meta.v1.LabelSelector': obj('Label query over a set of objects; matchLabels and matchExpressions are ANDed, and an empty selector matches everything.', {
    matchLabels: strMap('Labels that must all be present with exactly these values.'),
    matchExpressions: list(ref('meta.v1.LabelSelectorRequirement'), 'Set-based requirements that must all hold.', { listType: 'atomic' }),
  }),
  'meta.v1.LabelSelectorRequirement': obj('A label key, an operator, and values the operator relates it to.', {
    key: str('Label key the requirement applies to.'),
    operator: str('One of In, NotIn, Exists, DoesNotExist.'),
    values: strList('Values for In and NotIn; must be empty for Exists and DoesNotExist.', { listType: 'atomic' }),
  }, ['key', 'operator']),
  'meta.v1.Condition': obj("One aspect of an object's current state, in the standard condition shape.", {
    type: str('Condition type in CamelCase, such as Available.'),
    status: str('True, False or Unknown.'),
    observedGeneration: int64('The metadata.generation this condition was computed from.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('Machine-readable CamelCase cause of the last transition.'),
    message: str('Human-readable details about the transition.'),
  }, ['type', 'status', 'lastTransitionTime', 'reason', 'message']),
  'meta.v1.DeleteOptions': obj('Options for a delete request.', {
    ...typeMeta,
    gracePeriodSeconds: int64("Seconds to wait before deleting; 0 means now, unset means the kind's default."),
    preconditions: ref('meta.v1.Preconditions', 'Conditions the object must meet or the delete fails with a conflict.'),
    orphanDependents: bool('Deprecated; use propagationPolicy. True orphans dependents.'),
    propagationPolicy: str('How dependents are garbage collected: Orphan, Background or Foreground.'),
    dryRun: strList('When All, run the request without persisting anything.', { listType: 'atomic' }),
    ignoreStoreReadErrorWithClusterBreakingPotential: bool('Unsafe: delete even when the stored object cannot be read or decoded.'),
  }),
  'meta.v1.Preconditions': obj('Conditions a write or delete requires of the current object.', {
    uid: str('The UID the object must have.'),
    resourceVersion: str('The resourceVersion the object must have.'),
  }),
  'meta.v1.ListMeta': obj('Metadata of list responses.', {
    selfLink: str('Legacy read-only link; no longer filled in.'),
    resourceVersion: str('Version of the store the list was read at; start a watch from here.'),
    continue: str('Token to fetch the next page when a limit was set.'),
    remainingItemCount: int64('Estimated number of items left after this page, when known.'),
  }),
  'meta.v1.Status': obj('Result of a call that returns no object, and the shape of every API error.', {
    ...typeMeta,
    metadata: ref('meta.v1.ListMeta', 'Standard list metadata.'),
    status: str('Success or Failure.'),
    message: str('Human-readable description of the outcome.'),
    reason: str('Machine-readable CamelCase reason for a failure, such as NotFound.'),
    details: ref('meta.v1.StatusDetails', "Extra data about the reason, such as the object's name and field causes."),
    code: int32('Suggested HTTP status code.'),
  }),
  'meta.v1.StatusDetails': obj('Extra information about a failed call.', {
    name: str('Name of the object the status is about.'),
    group: str('API group of the object.'),
    kind: str('Kind (or resource) of the object.'),
    uid: str('UID of the object.'),
    causes: list(ref('meta.v1.StatusCause'), 'Individual problems, such as one entry per invalid field.', { listType: 'atomic' }),
    retryAfterSeconds: int32('Seconds the client should wait before retrying.'),
  }),
  'meta.v1.StatusCause': obj('One cause of a failed call.', {
    reason: str('Machine-readable cause, such as FieldValueInvalid.'),
    message: str('Human-readable description of the cause.'),
    field: str('Path of the field at fault, such as spec.replicas.'),
  }),
};
