import type { WriteOptions } from '../request.ts';
import { badRequest } from '../status.ts';
import type { GVK, SchemaHooks } from './schema-hooks.ts';
import type { KObject } from '../types/index.ts';

/**
 * fieldValidation: unknown fields (per the kind's schema) are a 400 under `Strict`, a warning
 * under `Warn` (also the server default when absent, as upstream) and silent under `Ignore`.
 * Outside `Strict` they are pruned, as decoding into upstream's typed structs drops them, so an
 * unknown field is never stored or served back.
 */
export function checkUnknownFields(hooks: SchemaHooks, gvk: GVK, obj: Record<string, unknown>, mode: WriteOptions['fieldValidation']): string[] {
  const unknown = hooks.findUnknownFields(gvk, obj);
  if (unknown.length === 0) return [];
  if (mode === 'Strict') throw badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  const pruned = hooks.pruneUnknownFields(gvk, obj as KObject) as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!Object.hasOwn(pruned, k)) delete obj[k];
  Object.assign(obj, pruned);
  return mode === 'Ignore' ? [] : unknown.map((f) => `unknown field "${f}"`);
}
