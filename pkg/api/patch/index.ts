// JSON patch (RFC 6902), merge patch (RFC 7386) and strategic merge patch, as the apiserver
// applies them to a stored object. Pure: the original and the patch are never modified.
import type { PatchMeta } from '../schema/index.ts';
import { badRequest, invalid, unsupportedMediaType } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { PatchFailure } from './failure.ts';
import { isObject } from './json-value.ts';
import { applyJsonPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicPatch } from './strategic.ts';

export type ApplicablePatchType = 'json' | 'merge' | 'strategic';

/**
 * Applies `patch` to `original` and returns the patched object (a new one).
 *
 * Errors are StatusErrors: 400 BadRequest when the patch cannot be read (wrong JSON shape, bad
 * directive, missing merge key), 422 Invalid when a readable patch does not fit the object (a
 * JSON-patch path that does not exist, a failed `test`, a list of lists), and 415
 * UnsupportedMediaType for a strategic merge patch without `meta` — the kind has no schema, which
 * is how upstream answers for custom resources. Defaulting, validation and metadata rules are the
 * caller's: the result may be any object.
 */
export function applyPatch(type: ApplicablePatchType, original: KObject, patch: unknown, meta?: PatchMeta): KObject {
  if (type === 'strategic' && !meta) throw unsupportedMediaType('application/strategic-merge-patch+json');
  try {
    const result =
      type === 'json' ? applyJsonPatch(original, patch)
        : type === 'merge' ? applyMergePatch(original, patch)
          : applyStrategicPatch(original, patch, meta!);
    if (!isObject(result)) throw new PatchFailure(422, `the patched object is a ${result === null ? 'null' : Array.isArray(result) ? 'list' : typeof result}, not an object`);
    return result as KObject;
  } catch (err) {
    if (!(err instanceof PatchFailure)) throw err;
    if (err.code === 400) throw badRequest(err.message);
    const group = typeof original.apiVersion === 'string' && original.apiVersion.includes('/') ? original.apiVersion.split('/')[0] : '';
    throw invalid(group, original.kind ?? 'Object', original.metadata?.name ?? '', [{ type: 'FieldValueInvalid', field: 'patch', message: err.message }]);
  }
}
