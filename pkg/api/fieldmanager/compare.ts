import { FieldSet } from './field-set.ts';
import { encodePathElement, keyElement, type PathElement } from './path-element.ts';
import { deduced, type FieldInfo, type TypeInfo } from './type-info.ts';

/** What changed between two versions of an object, as paths (structured-merge-diff's Comparison). */
export interface Comparison {
  /** Leaves set, and granular nodes (structs, maps, list items) that were absent before. */
  added: FieldSet;
  /** Leaves whose value changed. */
  modified: FieldSet;
  /** Leaves, and granular nodes, that are gone. */
  removed: FieldSet;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Compares `old` and `next` the way upstream's field manager does for non-apply writes. Explicit
 * JSON nulls count as absent (as after decoding into Go types); fields Go's zero value would hold
 * (TypeInfo's `zero`) are filled in on a side whose parent is present.
 */
export function compareObjects(old: unknown, next: unknown, type: TypeInfo): Comparison {
  const c: Comparison = { added: FieldSet.empty(), modified: FieldSet.empty(), removed: FieldSet.empty() };
  walk(c, [], type, nonNull(old), nonNull(next));
  return c;
}

/** The paths a non-apply write of `next` over `old` takes ownership of: added ∪ modified. */
export function changedFields(old: unknown, next: unknown, type: TypeInfo): FieldSet {
  const c = compareObjects(old, next, type);
  return c.added.union(c.modified);
}

const nonNull = (v: unknown) => (v === null ? undefined : v);

function walk(c: Comparison, path: PathElement[], type: TypeInfo, l: unknown, r: unknown): void {
  if (l === undefined && r === undefined) return;
  const granular = granularity(type, l, r);
  if (!granular || (isEmpty(l) && isEmpty(r))) return leaf(c, path, l, r);
  if (granular === 'object') walkObject(c, path, type, l, r);
  else walkList(c, path, type, l as unknown[] | undefined, r as unknown[] | undefined);
  if (!path.length) return;
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

function leaf(c: Comparison, path: PathElement[], l: unknown, r: unknown): void {
  if (!path.length) return;
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (!jsonEqual(l, r)) c.modified.insert(path);
}

/** 'object'/'list' when both sides can be walked per child under `type`; undefined for a leaf. */
function granularity(type: TypeInfo, l: unknown, r: unknown): 'object' | 'list' | undefined {
  const all = (pred: (v: unknown) => boolean) => (l === undefined || l === null || pred(l)) && (r === undefined || r === null || pred(r));
  if ((type.kind === 'struct' || type.kind === 'map' || type.kind === 'deduced') && all(isObj)) return 'object';
  if ((type.kind === 'set' || type.kind === 'assoc') && all(Array.isArray)) return 'list';
  return undefined;
}

const isEmpty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isObj(v) && Object.keys(v).length === 0);

function walkObject(c: Comparison, path: PathElement[], type: TypeInfo, l: unknown, r: unknown): void {
  const lo = isObj(l) ? l : undefined;
  const ro = isObj(r) ? r : undefined;
  const keys = new Set([...Object.keys(lo ?? {}), ...Object.keys(ro ?? {})]);
  for (const k of keys) {
    const { type: child, zero, emptyIsAbsent } = childOf(type, k);
    // As after a round trip through Go types: nulls and omitempty empties are absent, and a
    // present parent holds Go's zero where it lacks the field.
    const side = (o: Obj | undefined) => {
      if (o === undefined) return undefined;
      const v = nonNull(o[k]);
      return (emptyIsAbsent && isEmpty(v) ? undefined : v) ?? zero;
    };
    walk(c, [...path, { field: k }], child, side(lo), side(ro));
  }
}

export function childOf(type: TypeInfo, name: string): FieldInfo {
  if (type.kind === 'struct') return type.field(name) ?? { type: deduced };
  if (type.kind === 'map') return { type: type.values() };
  return { type: deduced };
}

function walkList(c: Comparison, path: PathElement[], type: TypeInfo, l: unknown[] | undefined, r: unknown[] | undefined): void {
  const li = listItems(type, l ?? []);
  const ri = listItems(type, r ?? []);
  if (!li || !ri) return leaf(c, path, l, r);
  const itemType = type.kind === 'assoc' ? type.items() : { kind: 'scalar' as const };
  for (const [k, [pe, lv]] of li) walk(c, [...path, pe], itemType, lv, ri.get(k)?.[1]);
  for (const [k, [pe, rv]] of ri) if (!li.has(k)) walk(c, [...path, pe], itemType, undefined, rv);
}

/**
 * Items of a set or list map by path element; undefined when the list cannot be keyed (an item
 * without any key field, a duplicate key, a non-scalar set member) — it is then compared whole.
 */
export function listItems(type: TypeInfo, list: readonly unknown[]): Map<string, [PathElement, unknown]> | undefined {
  const out = new Map<string, [PathElement, unknown]>();
  for (const item of list) {
    let pe: PathElement;
    if (type.kind === 'assoc') {
      if (!isObj(item)) return undefined;
      const fields = keyFields(type, item);
      if (!fields.length) return undefined;
      pe = keyElement(fields);
    } else {
      if (item !== null && typeof item === 'object') return undefined;
      pe = { value: item };
    }
    const k = encodePathElement(pe);
    if (out.has(k)) {
      if (type.kind === 'assoc') return undefined;
      continue;
    }
    out.set(k, [pe, nonNull(item)]);
  }
  return out;
}

/** An item's key fields that are set, or defaulted by the schema. */
export function keyFields(type: Extract<TypeInfo, { kind: 'assoc' }>, item: Obj): Array<readonly [string, unknown]> {
  const out: Array<readonly [string, unknown]> = [];
  for (const k of type.keys) {
    const v = item[k] ?? type.keyDefaults?.[k];
    if (v !== undefined && v !== null) out.push([k, v]);
  }
  return out;
}

/** JSON equality: key order is irrelevant. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Obj;
  const bo = b as Obj;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
}
