// Ordering of merged lists, as apimachinery's strategicpatch does it: items named by the patch
// (or by `$setElementOrder`) keep the patch's order, server-only items keep the live order, and
// the two runs are interleaved by the live order wherever both sides are anchored in it.
import { badPatch, unfitPatch } from './failure.ts';
import { isObject, own } from './json-value.ts';

export type ElementKind = 'map' | 'scalar';

/** What the lists hold; undefined when they are all empty. Lists of lists and mixed lists are refused. */
export function elementKind(...lists: unknown[][]): ElementKind | undefined {
  let seen: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      if (Array.isArray(v)) throw unfitPatch('lists of lists are not supported');
      const t = v === null ? 'null' : typeof v;
      if (seen === undefined) seen = t;
      else if (seen !== t) throw badPatch(`list element types are not identical: ${JSON.stringify(lists)}`);
    }
  }
  if (seen === 'null') throw badPatch('null is not a valid element of a merging list');
  return seen === undefined ? undefined : seen === 'object' ? 'map' : 'scalar';
}

/**
 * Orders `merged`: the items present in `patchOrder` sorted by it, the rest sorted by
 * `serverOrder`, then merged so that a server-only item goes before a patch item when the live
 * list has it earlier. Items the live list does not know go first, as upstream does.
 */
export function orderBy(merged: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string | undefined, kind: ElementKind): unknown[] {
  if (kind === 'map' && !mergeKey) return merged;
  const key = kind === 'map' ? (v: unknown) => own(v as Record<string, unknown>, mergeKey!) : (v: unknown) => v;
  if (kind === 'map') for (const list of [merged, patchOrder, serverOrder]) requireKeys(list, mergeKey!);

  const inPatch = new Set(patchOrder.map(key));
  const fromPatch = sortBy(merged.filter((v) => inPatch.has(key(v))), patchOrder, key);
  const serverOnly = sortBy(merged.filter((v) => !inPatch.has(key(v))), serverOrder, key);

  const pos = new Map(serverOrder.map((v, i) => [key(v), i] as const));
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < fromPatch.length) {
    if (j >= fromPatch.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(fromPatch[j++]);
    else {
      const li = pos.get(key(serverOnly[i]));
      const ri = pos.get(key(fromPatch[j]));
      if (li !== undefined && ri !== undefined && li < ri) out.push(serverOnly[i++]);
      else out.push(fromPatch[j++]);
    }
  }
  return out;
}

/** Stable sort by position in `order`; items it does not name keep their order, ahead of the rest. */
function sortBy(items: unknown[], order: unknown[], key: (v: unknown) => unknown): unknown[] {
  const pos = new Map<unknown, number>();
  order.forEach((v, i) => {
    if (!pos.has(key(v))) pos.set(key(v), i);
  });
  const rank = (v: unknown) => pos.get(key(v)) ?? -1;
  const deleted = items.filter(isDeleteMarker);
  return items.filter((v) => !isDeleteMarker(v)).map((v, i) => ({ v, i })).sort((a, b) => rank(a.v) - rank(b.v) || a.i - b.i).map((x) => x.v).concat(deleted);
}

const isDeleteMarker = (v: unknown) => isObject(v) && v.$patch === 'delete';

function requireKeys(list: unknown[], mergeKey: string): void {
  for (const v of list) {
    if (!isObject(v)) throw badPatch(`expected a map[string]interface {}, but received a ${typeof v}`);
    if (!Object.hasOwn(v, mergeKey)) throw badPatch(`map: ${JSON.stringify(v)} does not contain declared merge key: ${mergeKey}`);
  }
}
