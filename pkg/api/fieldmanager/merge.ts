import { childOf, listItems } from './compare.ts';
import type { TypeInfo } from './type-info.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isObj(v) && Object.keys(v).length === 0);

/**
 * structured-merge-diff's merge of an applied configuration (`rhs`) into the live object (`lhs`):
 * granular structs and maps merge per field, sets and list maps per item (list order as upstream
 * interleaves them), everything else — scalars, atomic values, lists that cannot be keyed — is
 * the configuration's. `undefined` is an absent side. Pure; the result shares nothing with either.
 */
export function mergeApplied(lhs: unknown, rhs: unknown, type: TypeInfo): unknown {
  if (rhs === undefined) return structuredClone(lhs);
  if (lhs === undefined) return structuredClone(rhs);
  if (isEmpty(lhs) && isEmpty(rhs)) return structuredClone(rhs);
  if ((type.kind === 'struct' || type.kind === 'map' || type.kind === 'deduced') && (isObj(lhs) || lhs === null) && (isObj(rhs) || rhs === null)) {
    return mergeObjects((lhs ?? {}) as Obj, (rhs ?? {}) as Obj, type);
  }
  if ((type.kind === 'set' || type.kind === 'assoc') && (Array.isArray(lhs) || lhs === null) && (Array.isArray(rhs) || rhs === null)) {
    const merged = mergeLists((lhs ?? []) as unknown[], (rhs ?? []) as unknown[], type);
    if (merged) return merged;
  }
  return structuredClone(rhs);
}

function mergeObjects(l: Obj, r: Obj, type: TypeInfo): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(l)) out[k] = Object.hasOwn(r, k) ? mergeApplied(v, r[k], childOf(type, k).type) : structuredClone(v);
  for (const [k, v] of Object.entries(r)) if (!Object.hasOwn(l, k)) out[k] = structuredClone(v);
  return out;
}

/**
 * Items keep the live order, items only the configuration has are placed where it has them, and
 * items both have follow the configuration's relative order. undefined when either list cannot
 * be keyed (duplicates, missing keys): the caller then takes the configuration's list whole.
 */
function mergeLists(l: unknown[], r: unknown[], type: TypeInfo): unknown[] | undefined {
  const li = listItems(type, l);
  const ri = listItems(type, r);
  if (!li || !ri) return undefined;
  const lKeys = [...li.keys()];
  const rKeys = [...ri.keys()];
  const itemType: TypeInfo = type.kind === 'assoc' ? type.items() : { kind: 'scalar' };
  const item = (k: string): unknown => mergeApplied(li.get(k)?.[1], ri.get(k)?.[1], itemType);
  const shared = rKeys.filter((k) => li.has(k));
  let nextShared = 0;
  const merged = new Set<string>();
  const out: unknown[] = [];
  for (let lI = 0, rI = 0; lI < lKeys.length || rI < rKeys.length; ) {
    if (lI < lKeys.length && rI < rKeys.length) {
      const k = lKeys[lI];
      if (k === rKeys[rI]) {
        merged.add(k);
        out.push(item(k));
        lI++;
        rI++;
        nextShared++;
        continue;
      }
      // A shared item the configuration wants later: it is placed when its turn comes there.
      if (ri.has(k) && nextShared < shared.length && shared[nextShared] !== k) {
        lI++;
        continue;
      }
    }
    if (lI < lKeys.length) {
      const k = lKeys[lI];
      if (!ri.has(k)) {
        out.push(structuredClone(li.get(k)![1]));
        lI++;
        continue;
      }
      if (merged.has(k)) {
        lI++;
        continue;
      }
    }
    if (rI < rKeys.length) {
      const k = rKeys[rI];
      merged.add(k);
      out.push(item(k));
      rI++;
      if (nextShared < shared.length && shared[nextShared] === k) nextShared++;
    }
  }
  return out;
}

