// Kubernetes object types. Shapes come from the `kubernetes-types` package (type-only);
// skiff code uses these names (Pod, ObjectMeta), never V1Pod-style aliases (STYLE.md B7).
import type { ObjectMeta, ListMeta, OwnerReference, ManagedFieldsEntry, Status, StatusCause, StatusDetails, Time } from 'kubernetes-types/meta/v1';

export type { ObjectMeta, ListMeta, OwnerReference, ManagedFieldsEntry, Status, StatusCause, StatusDetails, Time };
export type * as core from 'kubernetes-types/core/v1';
export type * as apps from 'kubernetes-types/apps/v1';
export type * as batch from 'kubernetes-types/batch/v1';
export type * as coordination from 'kubernetes-types/coordination/v1';
export type * as discovery from 'kubernetes-types/discovery/v1';
export type * as networking from 'kubernetes-types/networking/v1';
export type * as policy from 'kubernetes-types/policy/v1';
export type * as rbac from 'kubernetes-types/rbac/v1';
export type * as storage from 'kubernetes-types/storage/v1';
export type * as autoscalingV1 from 'kubernetes-types/autoscaling/v1';
export type * as autoscalingV2 from 'kubernetes-types/autoscaling/v2';
export type * as events from 'kubernetes-types/events/v1';

/** Any Kubernetes object as stored and served: always has metadata; the rest is per kind. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface KList<T extends KObject = KObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

/** One event of a watch stream, as on the wire (`{"type":"ADDED","object":{…}}`). */
export interface WatchEvent<T extends KObject = KObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** DeleteOptions as kubectl sends them (body or query). */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}
