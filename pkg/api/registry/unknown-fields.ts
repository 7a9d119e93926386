import type { WriteOptions } from '../request.ts';
import { badRequest } from '../status.ts';
import type { GVK, SchemaHooks } from './schema-hooks.ts';
import { isObject } from './meta.ts';

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
  for (const path of unknown) deletePath(obj, path);
  return mode === 'Ignore' ? [] : unknown.map((f) => `unknown field "${f}"`);
}

/** Deletes `spec.template.spec.containers[0].bogus` from `obj`; a path that does not resolve is ignored. */
export function deletePath(obj: Record<string, unknown>, path: string): void {
  const steps: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return;
    if (m[1]) steps.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  let at: unknown = obj;
  for (let i = 0; i < steps.length - 1; i++) {
    const s = steps[i];
    at = typeof s === 'number' ? (Array.isArray(at) ? at[s] : undefined) : isObject(at) ? at[s] : undefined;
  }
  const last = steps[steps.length - 1];
  if (typeof last === 'string' && isObject(at)) delete at[last];
}
