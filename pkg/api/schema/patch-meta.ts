import type { Schema } from './dsl.ts';
import { resolve } from './registry.ts';

/**
 * Strategic-merge-patch metadata of one type, the way apimachinery's `LookupPatchMeta` exposes
 * it: ask a struct (or map) for one of its keys and get that field's patch strategies, merge key,
 * and the metadata of its value — for a list, of its elements; for a map, of its values. Keys the
 * type does not know have no strategy and an empty metadata below them.
 */
export interface PatchMeta {
  /** Name of the type, for error messages ('core.v1.PodSpec'). */
  readonly name: string;
  lookup(key: string): FieldPatchMeta;
}

export interface FieldPatchMeta {
  /** `[]`, `['merge']`, `['retainKeys']`, `['merge', 'retainKeys']` or `['replace']`. */
  strategies: string[];
  mergeKey?: string;
  meta: PatchMeta;
}

const none: PatchMeta = { name: 'unknown', lookup: () => ({ strategies: [], meta: none }) };
const cache = new WeakMap<Schema, PatchMeta>();

/** Patch metadata of the type described by `schema`. */
export function patchMetaOf(schema: Schema): PatchMeta {
  const s = resolve(schema);
  const known = cache.get(s);
  if (known) return known;
  const meta: PatchMeta = {
    name: schema.ref ?? 'object',
    lookup(key) {
      const field = s.properties?.[key] ?? (s.properties ? undefined : s.additionalProperties);
      if (!field) return { strategies: [], meta: none };
      const value = field.type === 'array' && field.items ? field.items : field;
      return {
        strategies: field.patchStrategy ? field.patchStrategy.split(',') : [],
        ...(field.patchMergeKey ? { mergeKey: field.patchMergeKey } : {}),
        meta: isStructured(value) ? patchMetaOf(value) : none,
      };
    },
  };
  cache.set(s, meta);
  return meta;
}

const isStructured = (s: Schema) => {
  const r = resolve(s);
  return !r.preserveUnknownFields && Boolean(r.properties || r.additionalProperties);
};
