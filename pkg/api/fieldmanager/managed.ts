import type { ManagedFieldsEntry } from '../types/index.ts';
import { FieldSet } from './field-set.ts';

/** One decoded managedFields entry; `id` is its identity (upstream's manager identifier). */
export interface Managed {
  id: string;
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  /** RFC 3339; absent on entries upstream writes without one (scale). */
  time?: string;
  set: FieldSet;
  /** The entry as read, to keep its FieldsV1 byte-identical while its set is unchanged. */
  original?: ManagedFieldsEntry;
}

/** Entries by identity; insertion order carries no meaning (encode sorts). */
export type ManagedMap = Map<string, Managed>;

/**
 * BuildManagerIdentifier: the entry without time and fields, as JSON in Go's field order. Apply
 * entries leave out apiVersion, so one applier has one entry whatever version it applied with.
 */
export function managerId(e: { manager?: string; operation?: string; apiVersion?: string; subresource?: string }): string {
  const o: Record<string, string> = {};
  if (e.manager) o.manager = e.manager;
  if (e.operation) o.operation = e.operation;
  if (e.apiVersion && e.operation !== 'Apply') o.apiVersion = e.apiVersion;
  if (e.subresource) o.subresource = e.subresource;
  return JSON.stringify(o);
}

/** DecodeManagedFields; undefined when any entry is invalid (upstream then falls back to the live object's). */
export function decodeManaged(entries: unknown): ManagedMap | undefined {
  const out: ManagedMap = new Map();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) return undefined;
  for (const raw of entries) {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const e = raw as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') return undefined;
    if (typeof e.apiVersion !== 'string' || !e.apiVersion || e.fieldsType !== 'FieldsV1') return undefined;
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch {
      return undefined;
    }
    const m: Managed = { id: managerId(e), manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion, set, original: e };
    if (e.subresource) m.subresource = e.subresource;
    if (e.time) m.time = e.time;
    out.set(m.id, m);
  }
  return out;
}

/** `[]` or `[{}]`: the documented way for a client to clear managedFields. */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  const [only] = entries as unknown[];
  return entries.length === 1 && typeof only === 'object' && only !== null && Object.values(only).every((v) => v === undefined || v === null || v === '');
}

/** EncodeObjectManagedFields: entries in upstream's order (operation, time, manager, apiVersion, subresource). */
export function encodeManaged(managed: ManagedMap): ManagedFieldsEntry[] {
  const out = [...managed.values()].map(encodeOne);
  return out.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation! < q.operation! ? -1 : 1;
    const d = seconds(p.time) - seconds(q.time);
    if (d) return d;
    for (const k of ['manager', 'apiVersion', 'subresource'] as const) {
      const a = p[k] ?? '';
      const b = q[k] ?? '';
      if (a !== b) return a < b ? -1 : 1;
    }
    return 0;
  });
}

function encodeOne(m: Managed): ManagedFieldsEntry {
  const unchanged = m.original?.fieldsV1 !== undefined && FieldSet.fromFieldsV1(m.original.fieldsV1).equals(m.set);
  const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
  if (!m.manager) delete e.manager;
  if (m.time) e.time = m.time;
  e.fieldsType = 'FieldsV1';
  e.fieldsV1 = unchanged ? structuredClone(m.original!.fieldsV1!) : m.set.toFieldsV1();
  if (m.subresource) e.subresource = m.subresource;
  return e;
}

/** Whole seconds since the epoch; an entry without time sorts first, as upstream's zero time. */
export function seconds(time: string | undefined): number {
  if (!time) return 0;
  const t = Date.parse(time);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

/** Update entries kept before the oldest are merged into per-version `ancient-changes` entries. */
export const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/**
 * capUpdateManagers: while there are more than `max` Update entries, the oldest are folded, per
 * apiVersion, into an `ancient-changes` entry (the first oldest of a version becomes the bucket
 * when the next one of that version is merged; the bucket takes the newest merged time).
 */
export function capUpdateManagers(managed: ManagedMap, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...managed.values()].filter((m) => m.operation === 'Update');
  if (updaters.length <= max) return;
  updaters.sort((a, b) => seconds(a.time) - seconds(b.time) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let count = updaters.length;
  for (let i = 0; i < updaters.length && count > max; i++) {
    const m = updaters[i];
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, m.id);
      continue;
    }
    const bucketId = managerId({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion });
    if (!managed.has(bucketId)) {
      const moved = managed.get(first)!;
      managed.delete(first);
      managed.set(bucketId, { id: bucketId, manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion, set: moved.set, ...(moved.time ? { time: moved.time } : {}) });
    }
    const bucket = managed.get(bucketId)!;
    const merged: Managed = { ...bucket, set: m.set.union(bucket.set), original: undefined };
    if (m.time) merged.time = m.time;
    else delete merged.time;
    managed.set(bucketId, merged);
    managed.delete(m.id);
    count--;
  }
}
