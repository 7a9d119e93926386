import type { KObject, ManagedFieldsEntry } from '../types/index.ts';
import { compareObjects } from './compare.ts';
import { FieldSet } from './field-set.ts';
import { capUpdateManagers, decodeManaged, encodeManaged, isResetManagedFields, managerId, type ManagedMap } from './managed.ts';
import { field, fieldPath, type FieldPath } from './path-element.ts';
import type { TypeInfo } from './type-info.ts';

/** One non-apply write, as the registry plans it. */
export interface ManagedFieldsUpdate {
  /** The stored object; undefined for a create. */
  old?: KObject;
  /**
   * The object about to be stored (after prepare, defaults and server fields), still carrying
   * `metadata.managedFields` as the request left them: absent or unchanged keeps the stored
   * ones, `[]`/`[{}]` clears them, valid entries replace them (main resource only).
   */
  new: KObject;
  /** managerFromRequest's result. */
  manager: string;
  operation?: 'Update';
  /** The version the request was served at ('apps/v1'). */
  apiVersion: string;
  /** 'status' for writes through the status subresource; scale writes use updateScaleManagedFields. */
  subresource?: string;
  /** The kind serves `status` through a subresource: main writes then never own status fields. */
  hasStatusSubresource?: boolean;
  now: Date;
  type: TypeInfo;
}

/** StripMetaManager: fields nobody owns. Not recursive: `metadata`'s children stay trackable. */
export const STRIPPED = FieldSet.of(
  fieldPath('apiVersion'), fieldPath('kind'), fieldPath('metadata'),
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => fieldPath('metadata', f)),
);

/**
 * metadata.managedFields after a create, update or non-apply patch, with upstream's semantics:
 * - the manager's entry — identified by (manager, Update, apiVersion, subresource) — gains every
 *   field this write added or changed (on create: every field set, defaults included) and gets
 *   `time` = `now` (seconds); a write that changes nothing leaves all entries as they were;
 * - other entries lose the fields this write changed or removed; empty entries are dropped;
 * - nothing is tracked for an object that has no managedFields (tracking starts on create, or
 *   after a clear with the next create/apply), so `[]` then means "no managedFields";
 * - main writes of kinds with a status subresource never own status; status writes own only
 *   status (and metadata); apiVersion, kind and metadata name/namespace/uid/… are never owned;
 * - more than 10 Update entries: the oldest fold into `ancient-changes`;
 * - entries are sorted as upstream encodes them; unchanged entries keep their FieldsV1 as given.
 * Pure: neither object is modified.
 */
export function updateManagedFields(u: ManagedFieldsUpdate): ManagedFieldsEntry[] {
  const managed = startingEntries(u);
  if (managed.size === 0 && u.old) return [];

  const old = withoutManagedFields(u.old) ?? { metadata: {} };
  const next = withoutManagedFields(u.new)!;
  const c = compareObjects(old, next, u.type);
  const ignored = ignoredFields(u, old, next);
  const changed = c.added.union(c.modified).recursiveDifference(ignored);
  const removed = c.removed.recursiveDifference(ignored);

  for (const [id, m] of managed) {
    const set = m.set.difference(changed).difference(removed);
    if (set.isEmpty()) managed.delete(id);
    else if (!set.equals(m.set)) managed.set(id, { ...m, set });
  }
  const own = changed.difference(STRIPPED);
  if (!own.isEmpty()) {
    const entry = { manager: u.manager, operation: u.operation ?? 'Update', apiVersion: u.apiVersion, ...(u.subresource ? { subresource: u.subresource } : {}) };
    const id = managerId(entry);
    const previous = managed.get(id);
    managed.set(id, { ...entry, id, set: previous ? own.union(previous.set) : own, time: rfc3339(u.now) });
  }
  capUpdateManagers(managed);
  return encodeManaged(managed);
}

/** Sets the entries on `obj`, or removes the field when there are none. */
export function setManagedFields(obj: KObject, entries: ManagedFieldsEntry[]): void {
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

function startingEntries(u: ManagedFieldsUpdate): ManagedMap {
  const live = () => decodeManaged(u.old?.metadata.managedFields) ?? new Map();
  // Subresource writes may not rewrite managedFields.
  if (u.subresource) return live();
  const requested = u.new.metadata.managedFields;
  if (isResetManagedFields(requested)) return new Map();
  const given = decodeManaged(requested);
  return given?.size ? given : live();
}

export function withoutManagedFields(obj: KObject | undefined): KObject | undefined {
  if (!obj) return undefined;
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The strategy's reset fields: what this write may not own (and so takes from nobody). */
export function ignoredFields(u: { subresource?: string; hasStatusSubresource?: boolean }, old: KObject, next: KObject): FieldSet {
  if (u.subresource === 'status') {
    const others = new Set([...Object.keys(old), ...Object.keys(next)].filter((k) => k !== 'metadata' && k !== 'status'));
    return FieldSet.of(...[...others].map((k): FieldPath => [field(k)]));
  }
  return u.hasStatusSubresource ? FieldSet.of(fieldPath('status')) : FieldSet.empty();
}

/** metav1.Time's wire form: RFC 3339 in UTC with whole seconds. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
