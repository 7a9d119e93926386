import type { KObject, ManagedFieldsEntry } from '../types/index.ts';
import { jsonEqual } from './compare.ts';
import { FieldSet } from './field-set.ts';
import { decodeManaged, encodeManaged, managerId } from './managed.ts';
import { fieldPath } from './path-element.ts';

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
