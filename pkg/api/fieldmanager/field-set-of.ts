import { childOf, listItems } from './compare.ts';
import { FieldSet } from './field-set.ts';
import type { PathElement } from './path-element.ts';
import type { TypeInfo } from './type-info.ts';

/**
 * Every path `obj` sets, as upstream's ToFieldSet (what an applied configuration owns): leaves,
 * list items, map entries and null or empty values; a struct field that holds something is
 * present only through its children.
 */
export function fieldSetOf(obj: unknown, type: TypeInfo): FieldSet {
  const set = FieldSet.empty();
  visit(set, [], type, obj);
  return set;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function visit(set: FieldSet, path: PathElement[], type: TypeInfo, v: unknown): void {
  const insert = () => path.length && set.insert(path);
  if (isObj(v) && (type.kind === 'struct' || type.kind === 'map' || type.kind === 'deduced')) {
    for (const [k, child] of Object.entries(v)) {
      const p = [...path, { field: k }];
      const known = type.kind === 'struct' ? type.field(k) : undefined;
      visit(set, p, childOf(type, k).type, child);
      if (child === null || (isObj(child) && !Object.keys(child).length) || !known) set.insert(p);
    }
    return;
  }
  if (Array.isArray(v) && (type.kind === 'set' || type.kind === 'assoc')) {
    const items = listItems(type, v);
    if (!items) return void insert();
    const itemType: TypeInfo = type.kind === 'assoc' ? type.items() : { kind: 'scalar' };
    for (const [pe, item] of items.values()) {
      const p = [...path, pe];
      visit(set, p, itemType, item);
      set.insert(p);
    }
    return;
  }
  insert();
}
