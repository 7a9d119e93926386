// Type schemas of the served kinds (upstream v1.32 field inventory with skiff's own docs), and what
// is derived from them without HTTP: unknown-field detection for fieldValidation, pruning of
// unknown fields, and strategic-merge-patch metadata. The OpenAPI documents live in pkg/api/openapi.
import type { KObject } from '../types/index.ts';
import type { Schema } from './dsl.ts';
import { patchMetaOf } from './patch-meta.ts';
import type { PatchMeta } from './patch-meta.ts';
import { schemaIdFor } from './registry.ts';
import type { GroupVersionKind } from './registry.ts';
import { hasBadQuantity } from './quantities.ts';
import { findTypeError } from './type-errors.ts';
import { zeroNullItems } from './null-values.ts';
import { walkUnknown } from './unknown-fields.ts';

export type { Schema, SchemaSet, PatchStrategy } from './dsl.ts';
export type { PatchMeta, FieldPatchMeta } from './patch-meta.ts';
export type { GroupVersionKind } from './registry.ts';
export { schemas, kindSchemaIds, gvkOfId, resolve } from './registry.ts';

/** The schema of a kind (its named schema), or undefined when skiff has none for it. */
export function schemaFor(gvk: GroupVersionKind): Schema | undefined {
  const id = schemaIdFor(gvk);
  return id ? { ref: id } : undefined;
}

/**
 * Fields of `obj` the kind's schema does not define, as apimachinery's strict decoder names them
 * (`spec.foo`, `spec.template.spec.containers[0].bogus`, `metadata.bogus`), in document order.
 * `apiVersion`, `kind`, `metadata` and `status` are known fields of every kind, even of kinds
 * that have no status upstream (ConfigMap, Secret…): a stray `status` is not worth a 400, and
 * pruneUnknownFields drops it. [] when the kind has no schema (nothing can be called unknown then).
 */
export function findUnknownFields(gvk: GroupVersionKind, obj: unknown): string[] {
  const schema = schemaFor(gvk);
  if (!schema) return [];
  const found: string[] = [];
  walkUnknown(schema, obj, '', (path) => {
    if (path !== 'status') found.push(path);
  });
  return found;
}

/**
 * A copy of `obj` without the fields its kind does not define, which is what upstream stores when
 * fieldValidation is Ignore or Warn (decoding into typed structs drops them). `obj` is not changed.
 */
export function pruneUnknownFields<T extends KObject>(gvk: GroupVersionKind, obj: T): T {
  const schema = schemaFor(gvk);
  const copy = structuredClone(obj);
  if (schema) walkUnknown(schema, copy, '', (_path, parent, key) => delete parent[key]);
  return copy;
}

/** Whether a quantity field of `obj` holds something Go's decoder refuses (false without a schema). */
export function hasBadQuantities(gvk: GroupVersionKind, obj: unknown): boolean {
  const schema = schemaFor(gvk);
  return !!schema && hasBadQuantity(schema, obj);
}

/**
 * The first value of `obj` of a JSON type its kind's Go field cannot hold, in encoding/json's
 * words (apiserver's typed decode refuses such a body with 400); undefined when all fit or the
 * kind has no schema.
 */
export function findTypeErrorOf(gvk: GroupVersionKind, obj: unknown): string | undefined {
  const schema = schemaFor(gvk);
  return schema ? findTypeError(schema, obj, gvk.kind) : undefined;
}

/**
 * Turns, in place, the null list items and map values of `obj` into the zero values Go's decoder
 * makes of them (`{}`, `""`, `0`, `"0"` for a quantity…); nothing without a schema.
 */
export function zeroNulls(gvk: GroupVersionKind, obj: unknown): void {
  const schema = schemaFor(gvk);
  if (schema) zeroNullItems(schema, obj);
}

/** Strategic-merge-patch metadata of a kind; undefined when the kind has no schema (→ 415). */
export function patchMetaFor(gvk: GroupVersionKind): PatchMeta | undefined {
  const schema = schemaFor(gvk);
  return schema ? patchMetaOf(schema) : undefined;
}
