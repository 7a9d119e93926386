import type { WriteOptions } from '../request.ts';
import { badRequest } from '../status.ts';
import type { GVK, SchemaHooks } from './schema-hooks.ts';
import type { KObject } from '../types/index.ts';

/**
 * Type errors (a value of the wrong JSON type: 400 always), null list items and map values made
 * the zero values Go's decoder makes, then fieldValidation: unknown fields (per the kind's schema) and keys the body repeated
 * (`options.duplicateFields`, found by the transport) are a 400 under `Strict`, warnings under
 * `Warn` (also the server default when absent, as upstream) and silent under `Ignore`. Outside
 * `Strict` unknown fields are pruned, as decoding into upstream's typed structs drops them, so an
 * unknown field is never stored or served back; of a repeated key the last value counts.
 */
export function checkUnknownFields(
  hooks: SchemaHooks,
  gvk: GVK,
  obj: Record<string, unknown>,
  options: Pick<WriteOptions, 'fieldValidation' | 'duplicateFields'>,
  /** A whole body being decoded (POST, PUT): upstream's decoder then names the kind it wanted. */
  decoding = false,
): string[] {
  // Decoding into the typed struct fails first on a value of the wrong JSON type, whatever fieldValidation says.
  const typeError = hooks.findTypeError(gvk, obj);
  if (typeError) throw badRequest(decoding ? `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${typeError}` : typeError);
  hooks.zeroNulls(gvk, obj);
  const unknown = hooks.findUnknownFields(gvk, obj);
  // Upstream's order: a decoded body's unknown fields before its repeated keys (most bodies list
  // them so); a patch's repeated keys (found first, in the patch) before the result's unknown fields.
  const unknownErrs = unknown.map((f) => `unknown field "${f}"`);
  const dups = options.duplicateFields ?? [];
  const problems = decoding ? [...unknownErrs, ...dups] : [...dups, ...unknownErrs];
  if (problems.length && options.fieldValidation === 'Strict') {
    const strict = `strict decoding error: ${problems.join(', ')}`;
    throw badRequest(decoding ? `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${strict}` : strict);
  }
  // A stray status is never reported (findUnknownFields leaves it out) but dropped all the same.
  if (unknown.length || obj.status !== undefined) {
    const pruned = hooks.pruneUnknownFields(gvk, obj as KObject) as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (!Object.hasOwn(pruned, k)) delete obj[k];
    Object.assign(obj, pruned);
  }
  return options.fieldValidation === 'Ignore' ? [] : problems;
}
