import type { WriteOptions } from '../request.ts';
import { badRequest } from '../status.ts';
import type { GVK, SchemaHooks } from './schema-hooks.ts';
import type { KObject } from '../types/index.ts';

/**
 * fieldValidation: unknown fields (per the kind's schema) and keys the body repeated
 * (`options.duplicateFields`, found by the transport) are a 400 under `Strict`, warnings under
 * `Warn` (also the server default when absent, as upstream) and silent under `Ignore`. Outside
 * `Strict` unknown fields are pruned, as decoding into upstream's typed structs drops them, so an
 * unknown field is never stored or served back; of a repeated key the last value counts.
 */
export function checkUnknownFields(hooks: SchemaHooks, gvk: GVK, obj: Record<string, unknown>, options: Pick<WriteOptions, 'fieldValidation' | 'duplicateFields'>): string[] {
  const unknown = hooks.findUnknownFields(gvk, obj);
  const problems = [...(options.duplicateFields ?? []), ...unknown.map((f) => `unknown field "${f}"`)];
  if (problems.length === 0) return [];
  if (options.fieldValidation === 'Strict') throw badRequest(`strict decoding error: ${problems.join(', ')}`);
  if (unknown.length) {
    const pruned = hooks.pruneUnknownFields(gvk, obj as KObject) as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (!Object.hasOwn(pruned, k)) delete obj[k];
    Object.assign(obj, pruned);
  }
  return options.fieldValidation === 'Ignore' ? [] : problems;
}
