/**
 * Why a patch could not be applied. `code` follows the apiserver: 400 for a patch that cannot be
 * read (wrong JSON shape, malformed directive), 422 for a well-formed patch that does not fit the
 * object (a JSON-patch path that does not exist, a failed `test`). index.ts turns it into a
 * StatusError; nothing outside this package sees this class.
 */
export class PatchFailure extends Error {
  constructor(readonly code: 400 | 422, message: string) {
    super(message);
  }
}

export const badPatch = (message: string) => new PatchFailure(400, message);
export const unfitPatch = (message: string) => new PatchFailure(422, message);

/** The Go type name apimachinery's messages use for a decoded JSON value. */
export function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'object': return 'map[string]interface {}';
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'number': return Number.isInteger(v) ? 'int64' : 'float64';
    default: return typeof v;
  }
}

/** How encoding/json names a JSON value it could not decode into a map. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
}
