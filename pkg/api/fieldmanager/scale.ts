import type { KObject, ManagedFieldsEntry } from '../types/index.ts';
import { jsonEqual } from './compare.ts';
import { conflictError } from './conflicts.ts';
import { FieldSet } from './field-set.ts';
import { decodeManaged, encodeManaged, managerId } from './managed.ts';
import { fieldPath } from './path-element.ts';
import { rfc3339 } from './update.ts';

/** One write through the `scale` subresource, in terms of the parent object. */
export interface ScaleManagedFieldsUpdate {
  /** The parent as stored. */
  old: KObject;
  /** The parent with the new replica count, as it will be stored. */
  new: KObject;
  manager: string;
  /** The parent's version ('apps/v1'), not autoscaling/v1. */
  apiVersion: string;
  /** The ResourceDef's specReplicasPath ('.spec.replicas'). */
  specReplicasPath: string;
}

/**
 * The parent's managedFields after a scale write, as upstream's ScaleHandler leaves them when the
 * replica count changes: every entry loses the replicas field (entries left empty are dropped),
 * and the manager gets an entry `{manager, operation: Update, apiVersion: <parent's>, subresource:
 * 'scale'}` owning only that field — without `time`, as upstream writes it. A scale write that
 * does not change the count, or an object without managedFields, keeps the stored entries.
 */
export function updateScaleManagedFields(u: ScaleManagedFieldsUpdate): ManagedFieldsEntry[] {
  const stored = u.old.metadata.managedFields ?? [];
  const managed = decodeManaged(stored);
  const names = u.specReplicasPath.replace(/^\./, '').split('.');
  if (!managed?.size || jsonEqual(valueAt(u.old, names), valueAt(u.new, names))) return structuredClone(stored);
  const replicas = FieldSet.of(fieldPath(...names));
  for (const [id, m] of managed) {
    const set = m.set.difference(replicas);
    if (set.isEmpty()) managed.delete(id);
    else managed.set(id, { ...m, set });
  }
  const entry = { manager: u.manager, operation: 'Update' as const, apiVersion: u.apiVersion, subresource: 'scale' };
  const id = managerId(entry);
  managed.set(id, { ...entry, id, set: replicas });
  return encodeManaged(managed);
}

function valueAt(obj: unknown, names: string[]): unknown {
  let at = obj;
  for (const n of names) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[n] : undefined;
  return at;
}

/** A server-side apply through the `scale` subresource, in terms of the parent object. */
export interface ScaleApplyUpdate extends ScaleManagedFieldsUpdate {
  /** The applied Scale set spec.replicas (an apply without it gives the field up). */
  ownsReplicas: boolean;
  force: boolean;
  now: Date;
}

/**
 * The parent's managedFields after an apply of a Scale, as upstream's ScaleHandler maps the
 * Scale's apply back: the manager's `{Apply, subresource: scale}` entry owns the replicas field
 * (or is dropped when the Scale left it out); when the count changes, any other manager owning
 * it is a conflict (409, upstream's wording) unless `force`, which takes it from them. The time
 * moves only when the count changes.
 */
export function applyScaleManagedFields(u: ScaleApplyUpdate): ManagedFieldsEntry[] {
  const managed = decodeManaged(u.old.metadata.managedFields) ?? new Map();
  const names = u.specReplicasPath.replace(/^\./, '').split('.');
  const path = fieldPath(...names);
  const replicas = FieldSet.of(path);
  const entry = { manager: u.manager, operation: 'Apply' as const, apiVersion: u.apiVersion, subresource: 'scale' };
  const id = managerId(entry);
  const changed = !jsonEqual(valueAt(u.old, names), valueAt(u.new, names));
  if (changed) {
    const owners = [...managed.values()].filter((m) => m.id !== id && m.set.has(path));
    if (owners.length && !u.force) throw conflictError(owners.map((m) => ({ manager: m, fields: replicas })));
    for (const m of owners) {
      const set = m.set.difference(replicas);
      if (set.isEmpty()) managed.delete(m.id);
      else managed.set(m.id, { ...m, set });
    }
  }
  const previous = managed.get(id);
  if (!u.ownsReplicas) managed.delete(id);
  else {
    const time = changed ? rfc3339(u.now) : previous?.time;
    managed.set(id, { ...entry, id, set: replicas, ...(time ? { time } : {}), ...(previous?.original ? { original: previous.original } : {}) });
  }
  return encodeManaged(managed);
}
