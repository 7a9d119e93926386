import type { KObject } from '../types/index.ts';
import { compareObjects, jsonEqual } from './compare.ts';
import { conflictError, type ManagerConflicts } from './conflicts.ts';
import { fieldSetOf } from './field-set-of.ts';
import { FieldSet } from './field-set.ts';
import { capUpdateManagers, decodeManaged, encodeManaged, managerId, type Managed, type ManagedMap } from './managed.ts';
import { mergeApplied } from './merge.ts';
import { ensureNamedFieldsAreMembers, removeItems } from './remove.ts';
import type { TypeInfo } from './type-info.ts';
import { ignoredFields, rfc3339, STRIPPED, updateManagedFields, withoutManagedFields } from './update.ts';

/** One server-side apply, as the registry plans it. */
export interface ApplyInput {
  /** The stored object (with its managedFields); undefined when the apply creates it. */
  live?: KObject;
  /** The applied configuration, already checked by appliedConfigErrors. */
  applied: KObject;
  manager: string;
  /** The version applied with (the endpoint's `apps/v1`). */
  apiVersion: string;
  force: boolean;
  subresource?: 'status' | 'ephemeralcontainers';
  hasStatusSubresource?: boolean;
  now: Date;
  type: TypeInfo;
}

/** The manager kubectl uses for `apply --server-side`; it alone upgrades client-side apply. */
const KUBECTL = 'kubectl';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const BEFORE_FIRST_APPLY = 'before-first-apply';

/**
 * Server-side apply with structured-merge-diff's semantics (merge.Updater.Apply inside
 * apiserver's field manager chain). Returns the object to store — the configuration merged into
 * the live object, fields this manager applied before and no longer applies removed unless
 * another manager owns them — carrying the new managedFields:
 * - the manager's Apply entry owns exactly the configuration's fields (ignoring reset fields and
 *   metadata name/namespace/…); its time moves only when the object changes;
 * - another manager owning a field whose value changes is a conflict: 409 listing every one,
 *   unless `force`, which moves those fields to this manager; removed fields leave their owners;
 * - an object never tracked first gets a `before-first-apply` entry owning what it holds;
 * - manager `kubectl` may take fields from client-side apply whose live values still match the
 *   last-applied annotation, and keeps that annotation in step with what it applies.
 * Defaults are not applied here (the registry defaults afterwards, unowned, as upstream).
 * Throws the conflict StatusError; pure otherwise.
 */
export function applyManagedFields(u: ApplyInput): KObject {
  const live = withoutManagedFields(u.live) ?? { apiVersion: u.applied.apiVersion, kind: u.applied.kind, metadata: {} };
  let managed = decodeManaged(u.live?.metadata.managedFields) ?? new Map();
  if (u.live && managed.size === 0) managed = beforeFirstApply(u, live);
  let result: { object: KObject; managed: ManagedMap };
  try {
    result = apply(u, live, managed, u.force);
  } catch (err) {
    if (!(err instanceof ConflictsFound) || u.manager !== KUBECTL) throw err instanceof ConflictsFound ? conflictError(err.conflicts) : err;
    const allowed = allowedByLastApplied(live, u.type);
    const left = err.conflicts.map((c) => ({ ...c, fields: c.fields.difference(allowed) })).filter((c) => !c.fields.isEmpty());
    if (left.length) throw conflictError(left);
    result = apply(u, live, managed, true);
  }
  const { object } = result;
  if (u.manager === KUBECTL && object.metadata.annotations?.[LAST_APPLIED] !== undefined) {
    object.metadata.annotations = { ...object.metadata.annotations, [LAST_APPLIED]: lastAppliedOf(u.applied) };
  }
  capUpdateManagers(result.managed);
  const entries = encodeManaged(result.managed);
  if (entries.length) object.metadata.managedFields = entries;
  else delete object.metadata.managedFields;
  return object;
}

class ConflictsFound extends Error {
  constructor(readonly conflicts: ManagerConflicts[]) {
    super('apply conflicts');
  }
}

function apply(u: ApplyInput, live: KObject, start: ManagedMap, force: boolean): { object: KObject; managed: ManagedMap } {
  const managed: ManagedMap = new Map(start);
  const entry = { manager: u.manager, operation: 'Apply' as const, apiVersion: u.apiVersion, ...(u.subresource ? { subresource: u.subresource } : {}) };
  const id = managerId(entry);
  const previous = managed.get(id);
  const merged = mergeApplied(live, u.applied, u.type) as KObject;
  const ignored = ignoredFields(u, live, merged);
  const set = fieldSetOf(u.applied, u.type).recursiveDifference(ignored);
  const own: Managed = { ...entry, id, set, ...(previous?.time ? { time: previous.time } : {}), ...(previous?.original ? { original: previous.original } : {}) };
  managed.set(id, own);
  const object = prune(merged, managed, previous?.set, u.type);

  const c = compareObjects(live, object, u.type);
  const changed = c.added.union(c.modified).recursiveDifference(ignored);
  const removed = c.removed.recursiveDifference(ignored);
  const conflicts: ManagerConflicts[] = [];
  for (const [mid, m] of managed) {
    if (mid === id) continue;
    const fields = m.set.intersection(changed);
    if (!fields.isEmpty()) conflicts.push({ manager: m, fields });
  }
  if (conflicts.length && !force) throw new ConflictsFound(conflicts);
  for (const [mid, m] of managed) {
    if (mid === id) continue;
    const rest = m.set.difference(changed).difference(removed);
    if (rest.isEmpty()) managed.delete(mid);
    else if (!rest.equals(m.set)) managed.set(mid, { ...m, set: rest });
  }
  const stripped = own.set.difference(STRIPPED);
  if (stripped.isEmpty()) managed.delete(id);
  else managed.set(id, { ...own, set: stripped, ...(jsonEqual(live, object) ? {} : { time: rfc3339(u.now) }) });
  return { object, managed };
}

/**
 * Updater.prune: what this manager applied last time and not now goes, unless another manager
 * (or this configuration) owns it; only its own former fields are ever removed.
 */
function prune(merged: KObject, managed: ManagedMap, last: FieldSet | undefined, type: TypeInfo): KObject {
  if (!last || last.isEmpty()) return merged;
  const lastE = ensureNamedFieldsAreMembers(last, type);
  const pruned = removeItems(merged, lastE, type);
  let owned = FieldSet.empty();
  for (const m of managed.values()) owned = owned.union(m.set);
  const mergedSet = ensureNamedFieldsAreMembers(fieldSetOf(merged, type), type);
  const keep = ensureNamedFieldsAreMembers(fieldSetOf(pruned, type), type).union(ensureNamedFieldsAreMembers(owned, type));
  const withOwned = removeItems(merged, mergedSet.difference(keep), type);
  const dangling = mergedSet.difference(ensureNamedFieldsAreMembers(fieldSetOf(withOwned, type), type)).intersection(lastE);
  return (removeItems(merged, dangling, type) ?? { metadata: {} }) as KObject;
}

/** skipNonApplied: an untracked object's current fields belong to `before-first-apply` first. */
function beforeFirstApply(u: ApplyInput, live: KObject): ManagedMap {
  const entries = updateManagedFields({
    new: live,
    manager: BEFORE_FIRST_APPLY,
    apiVersion: u.apiVersion,
    subresource: u.subresource,
    hasStatusSubresource: u.hasStatusSubresource,
    now: u.now,
    type: u.type,
  });
  return decodeManaged(entries) ?? new Map();
}

/** lastAppliedManager: fields of the annotation whose live values it still describes. */
function allowedByLastApplied(live: KObject, type: TypeInfo): FieldSet {
  const text = live.metadata.annotations?.[LAST_APPLIED];
  if (!text) return FieldSet.empty();
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return FieldSet.empty();
  }
  if (typeof last !== 'object' || last === null || Array.isArray(last)) return FieldSet.empty();
  return fieldSetOf(last, type).difference(compareObjects(last, live, type).modified);
}

/** buildLastApplied: the configuration without the annotation, as Go encodes an unstructured object. */
function lastAppliedOf(applied: KObject): string {
  const copy = structuredClone(applied);
  if (copy.metadata.annotations) {
    const { [LAST_APPLIED]: _dropped, ...rest } = copy.metadata.annotations;
    copy.metadata.annotations = rest;
  }
  return `${JSON.stringify(sortKeys(copy))}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}
