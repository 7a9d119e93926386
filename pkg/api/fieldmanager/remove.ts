import { childOf, keyFields } from './compare.ts';
import { FieldSet } from './field-set.ts';
import { keyElement, type FieldPath, type PathElement } from './path-element.ts';
import type { TypeInfo } from './type-info.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `value` without the members of `set` (structured-merge-diff's RemoveItems): a member removes
 * its field, map entry or list item whole; a path with members below it is walked into. A map
 * or list left empty is absent (upstream leaves null, which decoding into Go types drops).
 * Atomic values are never walked into. Pure.
 */
export function removeItems(value: unknown, set: FieldSet, type: TypeInfo): unknown {
  if (set.isEmpty()) return structuredClone(value);
  if (isObj(value) && (type.kind === 'struct' || type.kind === 'map' || type.kind === 'deduced')) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      const pe: PathElement = { field: k };
      if (set.has([pe])) continue;
      const below = set.withPrefix(pe);
      const kept = below.isEmpty() ? structuredClone(v) : removeItems(v, below, childOf(type, k).type);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length || !Object.keys(value).length ? out : undefined;
  }
  if (Array.isArray(value) && (type.kind === 'set' || type.kind === 'assoc')) {
    const itemType: TypeInfo = type.kind === 'assoc' ? type.items() : { kind: 'scalar' };
    const out: unknown[] = [];
    for (const item of value) {
      const pe = itemElement(type, item);
      if (!pe) {
        out.push(structuredClone(item));
        continue;
      }
      if (set.has([pe])) continue;
      const below = set.withPrefix(pe);
      out.push(below.isEmpty() ? structuredClone(item) : removeItems(item, below, itemType));
    }
    return out.length || !value.length ? out : undefined;
  }
  return structuredClone(value);
}

function itemElement(type: TypeInfo, item: unknown): PathElement | undefined {
  if (type.kind !== 'assoc') return item !== null && typeof item === 'object' ? undefined : { value: item };
  if (!isObj(item)) return undefined;
  const fields = keyFields(type, item);
  return fields.length ? keyElement(fields) : undefined;
}

/**
 * EnsureNamedFieldsAreMembers: `set` plus every struct field (a field the schema names) that
 * only leads to members — so removing such a set removes the field itself, not just its leaves.
 * Map keys and list items are left as they are.
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, type: TypeInfo): FieldSet {
  const out = set.union(FieldSet.empty());
  for (const path of set.nodePaths()) {
    const last = path[path.length - 1];
    if (!('field' in last)) continue;
    const parent = typeAt(type, path.slice(0, -1));
    if (parent?.kind === 'struct' && parent.field(last.field)) out.insert(path);
  }
  return out;
}

/** The type at `path` below `type`; undefined where the path leaves what the schema describes. */
function typeAt(type: TypeInfo, path: FieldPath): TypeInfo | undefined {
  let at: TypeInfo = type;
  for (const pe of path) {
    if ('field' in pe) {
      if (at.kind !== 'struct' && at.kind !== 'map' && at.kind !== 'deduced') return undefined;
      at = childOf(at, pe.field).type;
    } else if ('key' in pe && at.kind === 'assoc') {
      at = at.items();
    } else if ('value' in pe && at.kind === 'set') {
      at = { kind: 'scalar' };
    } else {
      return undefined;
    }
  }
  return at;
}
