import { applyPatch } from '../patch/index.ts';
import { findTypeErrorOf, findUnknownFields, hasBadQuantities, patchMetaFor, pruneUnknownFields, zeroNulls, type PatchMeta } from '../schema/index.ts';
import type { KObject } from '../types/index.ts';

/** Group, version and kind: what the schema and patch packages key their knowledge on. */
export interface GVK {
  group: string;
  version: string;
  kind: string;
}

/**
 * What the registry uses from pkg/api/schema and pkg/api/patch. Tests may replace parts through
 * `createApiHandler({ schema })` (e.g. a kind the schema package does not know).
 */
export interface SchemaHooks {
  /** Paths of fields the kind's schema does not define (`spec.foo`); [] without a schema. */
  findUnknownFields(gvk: GVK, obj: unknown): string[];
  /** The first value of a JSON type its Go field cannot hold, as encoding/json words it; undefined when all fit. */
  findTypeError(gvk: GVK, obj: unknown): string | undefined;
  /** In place: null list items and map values become the zero values Go's decoder makes of them. */
  zeroNulls(gvk: GVK, obj: unknown): void;
  /** A copy of `obj` without those fields. */
  pruneUnknownFields<T extends KObject>(gvk: GVK, obj: T): T;
  /** Whether a resource.Quantity field holds what Go's decoder refuses; false without a schema. */
  hasBadQuantities(gvk: GVK, obj: unknown): boolean;
  /** Merge keys and strategies for strategic merge patch; undefined without a schema (→ 415). */
  patchMetaFor(gvk: GVK): PatchMeta | undefined;
  /** Pure; StatusErrors 400/422 for bad patches, 415 for strategic without meta. */
  applyPatch(type: 'json' | 'merge' | 'strategic', original: KObject, patch: unknown, meta?: PatchMeta): KObject;
}

export const defaultSchemaHooks: SchemaHooks = { findUnknownFields, findTypeError: findTypeErrorOf, zeroNulls, hasBadQuantities, pruneUnknownFields, patchMetaFor, applyPatch };
