import { child, isRecord, objectMetaFields, preservesUnknown, type Schema } from './schema.ts';

/**
 * Structural pruning (apiextensions' pruning.PruneWithOptions): removes, in place, every field the
 * schema does not specify, unless a node preserves unknown fields. A resource root (the object
 * itself and every x-kubernetes-embedded-resource) keeps apiVersion and kind, and its metadata
 * keeps only ObjectMeta's fields. Returns the removed paths (`spec.foo`, `spec.items[0].bar`),
 * which fieldValidation reports as unknown fields.
 */
export function prune(obj: unknown, schema: Schema): string[] {
  const removed: string[] = [];
  walk(obj, schema, '', true, removed);
  return removed;
}

function walk(v: unknown, s: Schema | undefined, path: string, resourceRoot: boolean, removed: string[]): void {
  if (Array.isArray(v)) {
    const items = s && isRecord(s.items) ? s.items : undefined;
    if (items) v.forEach((item, i) => walk(item, items, `${path}[${i}]`, items['x-kubernetes-embedded-resource'] === true, removed));
    return;
  }
  if (!isRecord(v)) return;
  const props = s && isRecord(s.properties) ? s.properties : {};
  const additional = s && isRecord(s.additionalProperties) ? s.additionalProperties : undefined;
  const keepUnknown = !s || preservesUnknown(s) || s.additionalProperties === true;
  for (const key of Object.keys(v)) {
    const at = child(path, key);
    if (resourceRoot && (key === 'apiVersion' || key === 'kind')) continue;
    if (resourceRoot && key === 'metadata') {
      pruneMeta(v[key], at, removed);
      continue;
    }
    const sub = isRecord(props[key]) ? props[key] : additional;
    if (sub) walk(v[key], sub, at, sub['x-kubernetes-embedded-resource'] === true, removed);
    else if (keepUnknown) walk(v[key], undefined, at, false, removed);
    else {
      delete v[key];
      removed.push(at);
    }
  }
}

function pruneMeta(meta: unknown, path: string, removed: string[]): void {
  if (!isRecord(meta)) return;
  for (const key of Object.keys(meta)) {
    if (objectMetaFields.has(key)) continue;
    delete meta[key];
    removed.push(child(path, key));
  }
}
