// Strategic merge patch, applied the way the apiserver applies it (apimachinery strategicpatch,
// server side: parallel lists merged, unmatched nulls ignored). Maps merge recursively; lists
// merge by their merge key or as sets when the schema says `merge`, and are replaced otherwise.
// Directives: `$patch` (replace | delete; merge is accepted as the no-op default), `$retainKeys`,
// `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`. Functions here mutate their
// arguments; applyStrategicPatch hands them private copies.
import type { PatchMeta } from '../schema/index.ts';
import { badPatch, goType, jsonKind } from './failure.ts';
import { assign, isObject, own } from './json-value.ts';
import type { JsonObject } from './json-value.ts';
import { elementKind, orderBy } from './strategic-order.ts';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM = '$deleteFromPrimitiveList';
const ORDER = '$setElementOrder';

export function applyStrategicPatch(doc: JsonObject, patch: unknown, meta: PatchMeta): JsonObject {
  if (patch === null) return structuredClone(doc);
  if (!isObject(patch)) throw badPatch(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  return mergeMap(structuredClone(doc), structuredClone(patch), meta);
}

function mergeMap(original: JsonObject | undefined, patch: JsonObject, meta: PatchMeta): JsonObject {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    delete patch[DIRECTIVE];
    if (directive === 'replace') return stripDirectives(patch) as JsonObject;
    if (directive === 'delete') return {};
    if (directive !== 'merge') throw badPatch(`unknown patch type: ${String(directive)} in map: ${show(patch)}`);
  }
  const target = original ?? {};
  applyRetainKeys(target, patch);
  mergeOrderedLists(target, patch, meta);

  for (const [rawKey, value] of Object.entries(patch)) {
    const isDeleteList = rawKey.startsWith(DELETE_FROM);
    const key = isDeleteList ? listKey(rawKey, DELETE_FROM) : rawKey;
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = own(target, key);
    if (!Object.hasOwn(target, key) || jsonKind(current) !== jsonKind(value)) {
      if (!isDeleteList) put(target, key, dropNulls(value));
      continue;
    }
    const field = meta.lookup(key);
    const strategy = otherStrategy(field.strategies);
    if (isObject(current)) {
      assign(target, key, strategy === 'replace' ? value : mergeMap(current, value as JsonObject, field.meta));
    } else if (Array.isArray(current)) {
      assign(target, key, strategy === 'merge' || isDeleteList
        ? mergeSlice(current, value as unknown[], field.meta, field.mergeKey, isDeleteList)
        : stripDirectives(value));
    } else {
      put(target, key, value);
    }
  }
  return target;
}

/**
 * Merges a list whose field has the `merge` strategy (or a `$deleteFromPrimitiveList`): scalars
 * as a set, maps by `mergeKey`, honouring `$patch: delete | replace` elements.
 */
function mergeSlice(original: unknown[], patch: unknown[], meta: PatchMeta, mergeKey: string | undefined, isDeleteList: boolean): unknown[] {
  return mergeSliceWithView(original, patch, meta, mergeKey, isDeleteList).merged;
}

/**
 * Also returns `liveView`: the live list as upstream's Go code sees it afterwards. Upstream
 * deletes and appends in place on the live slice's backing array, and `$setElementOrder` then
 * orders server-only items by that mutated array; replaying it keeps kubectl apply's resulting
 * order identical to a real cluster's.
 */
function mergeSliceWithView(original: unknown[], patch: unknown[], meta: PatchMeta, mergeKey: string | undefined, isDeleteList: boolean) {
  if (!original.length && !patch.length) return { merged: original, liveView: original };
  const kind = elementKind(original, patch)!;
  if (kind === 'scalar') {
    if (isDeleteList) return { merged: original.filter((v) => !patch.includes(v)), liveView: original };
    return { merged: orderBy([...new Set([...original, ...patch])], patch, original, undefined, kind), liveView: original };
  }
  if (!mergeKey) throw badPatch(`cannot merge lists without merge key for ${meta.name}`);
  const view = [...original];
  let live = original;
  const items: JsonObject[] = [];
  let replace = false;
  for (const el of patch as JsonObject[]) {
    const directive = el[DIRECTIVE];
    if (directive !== undefined && directive !== 'merge' && directive !== 'delete' && directive !== 'replace') {
      throw badPatch(`unknown patch type: ${String(directive)} in map: ${show(el)}`);
    }
    if (directive === 'replace') {
      replace = true;
      continue;
    }
    if (!(mergeKey in el)) throw badPatch(`map: ${show(el)} does not contain declared merge key: ${mergeKey}`);
    if (directive === 'delete') {
      for (let i = live.findIndex((v) => isObject(v) && v[mergeKey] === el[mergeKey]); i >= 0; i = live.findIndex((v) => isObject(v) && v[mergeKey] === el[mergeKey])) {
        view.copyWithin(i, i + 1, live.length);
        live = live.filter((_, j) => j !== i);
      }
      continue;
    }
    if (directive === 'merge') delete el[DIRECTIVE];
    items.push(el);
  }
  if (replace) {
    const only = stripDirectives(items) as unknown[];
    return { merged: orderBy(only, [], only, mergeKey, kind), liveView: view };
  }
  const merged = [...live];
  for (const el of items) {
    const at = merged.findIndex((v) => isObject(v) && v[mergeKey] === el[mergeKey]);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, el, meta);
    else {
      if (merged.length < view.length) view[merged.length] = el;
      merged.push(stripDirectives(el));
    }
  }
  return { merged: orderBy(merged, items, live, mergeKey, kind), liveView: view };
}

/** `$retainKeys`: drop every key of `original` not listed; the patch may only set listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badPatch('invalid patch format of retainKeys');
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM) || k.startsWith(ORDER)) continue;
    if (!keep.has(k)) throw badPatch('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<list>`: merge the named list now and order the result — the directive's
 * order first, then the live order for server-only items. The list is removed from the patch so
 * the main loop does not merge it again.
 */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, meta: PatchMeta): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(ORDER)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw badPatch(`expected a []interface {}, but received a ${goType(order)}`);
    const key = listKey(directiveKey, ORDER);
    const live = listAt(original, key);
    const patchList = listAt(patch, key);
    const field = meta.lookup(key);
    checkOrderMatchesPatch(patchList ?? [], order, field.mergeKey);

    let merged: unknown[];
    let liveView = live ?? [];
    if (live && !patchList) merged = live;
    else if (!live && patchList) merged = stripDirectives(patchList) as unknown[];
    else if (live && patchList) {
      if (otherStrategy(field.strategies) === 'merge') ({ merged, liveView } = mergeSliceWithView(live, patchList, field.meta, field.mergeKey, false));
      else merged = stripDirectives(patchList) as unknown[];
    } else continue;

    const kind = elementKind(live ?? [], patchList ?? [], merged);
    assign(original, key, kind ? orderBy(merged, order, liveView, field.mergeKey, kind) : merged);
    delete patch[key];
  }
}

/** Every non-deleted item of the patch list must appear in `$setElementOrder`, in the same order. */
function checkOrderMatchesPatch(patchList: unknown[], order: unknown[], mergeKey: string | undefined): void {
  if (!order.length || !patchList.length) return;
  const items = mergeKey ? patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete')) : patchList;
  const keyOf = (v: unknown) => (mergeKey ? (isObject(v) ? v[mergeKey] : undefined) : v);
  let p = 0;
  for (let o = 0; p < items.length && o < order.length; o++) {
    if (isObject(items[p]) && DIRECTIVE in (items[p] as JsonObject)) {
      p++;
      o--;
      continue;
    }
    if (keyOf(items[p]) === keyOf(order[o])) p++;
  }
  if (p < items.length) throw badPatch(`The order in patch list:\n${show(patchList)}\n doesn't match ${ORDER} list:\n${show(order)}`);
}

function listAt(obj: JsonObject, key: string): unknown[] | undefined {
  if (!Object.hasOwn(obj, key)) return undefined;
  const v = own(obj, key);
  if (!Array.isArray(v)) throw badPatch(`expected a []interface {}, but received a ${goType(v)}`);
  return v;
}

function listKey(key: string, prefix: string): string {
  const [head, rest] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
  if (!key.includes('/') || head !== prefix) {
    throw badPatch(prefix === DELETE_FROM ? 'invalid patch format of primitive list' : 'invalid patch format of setElementOrder list');
  }
  return rest;
}

/** The non-retainKeys part of a field's strategies ('merge', 'replace' or ''). */
function otherStrategy(strategies: string[]): string {
  const others = strategies.filter((s) => s !== 'retainKeys');
  if (others.length > 1 || strategies.length > 2) throw badPatch(`unexpected patch strategy: ${strategies.join(',')}`);
  return others[0] ?? '';
}

/** Store a patch value as a new value: without directives, and gone entirely if it was one. */
function put(target: JsonObject, key: string, value: unknown): void {
  const kept = stripDirectives(value);
  if (kept === undefined) delete target[key];
  else assign(target, key, kept);
}

/**
 * A patch value ready to be stored: maps carrying `$patch` vanish (undefined), and the other
 * directive keys are dropped at every depth.
 */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives).filter((v) => v !== undefined);
  if (!isObject(value)) return value;
  if (DIRECTIVE in value) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === RETAIN_KEYS || k.startsWith(`${ORDER}/`) || k.startsWith(`${DELETE_FROM}/`)) continue;
    const kept = stripDirectives(v);
    if (kept !== undefined) assign(out, k, kept);
  }
  return out;
}

/** Nulls inside a value being added mean nothing: there is nothing to delete. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) value.forEach(dropNulls);
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else dropNulls(v);
    }
  }
  return value;
}

const show = (v: unknown) => JSON.stringify(v);
