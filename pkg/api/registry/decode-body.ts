import type { WriteOptions } from '../request.ts';
import type { KObject } from '../types/index.ts';
import type { GVK, SchemaHooks } from './schema-hooks.ts';
import { bodyCopy, checkTypeMeta } from './strategy.ts';
import { checkUnknownFields } from './unknown-fields.ts';

/**
 * A POSTed body of a kind that is answered rather than stored (pods/binding, pods/eviction, the
 * reviews, serviceaccounts/token), decoded as apiserver decodes it into the kind's typed struct:
 * a JSON object whose apiVersion and kind, when given, are `gvk`'s, values of the right JSON
 * types, then unknown and repeated fields per fieldValidation (all 400s). Returns a copy without
 * the unknown fields, and the warnings for the response.
 */
export function decodeBody(hooks: SchemaHooks, gvk: GVK, raw: unknown, options: Pick<WriteOptions, 'fieldValidation' | 'duplicateFields'>): { body: KObject; warnings: string[] } {
  const body = bodyCopy(raw);
  checkTypeMeta(gvk, body);
  return { body, warnings: checkUnknownFields(hooks, gvk, body, options, true) };
}
