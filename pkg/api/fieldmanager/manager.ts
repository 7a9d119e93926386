import { invalid, type FieldError } from '../status.ts';

/** Longest fieldManager accepted, in UTF-8 bytes (apimachinery's FieldManagerMaxLength). */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/** The options kind a write's query parameters decode into; it names the 422's subject. */
export type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/**
 * ValidateFieldManager: at most 128 bytes, printable characters only. Throws 422 Invalid
 * (`PatchOptions.meta.k8s.io "" is invalid: fieldManager: …`) otherwise.
 */
export function validateFieldManager(fieldManager: string, kind: WriteOptionsKind): void {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) {
    errs.push({ type: 'FieldValueTooLong', field: 'fieldManager', message: `Too long: must have at most ${FIELD_MANAGER_MAX_LENGTH} bytes` });
  }
  let offset = 0;
  for (const ch of fieldManager) {
    if (!PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push({ type: 'FieldValueInvalid', field: 'fieldManager', message: `Invalid value: ${JSON.stringify(fieldManager)}: invalid character U+${cp} (at position ${offset})` });
    }
    offset += Buffer.byteLength(ch);
  }
  if (errs.length) throw invalid('meta.k8s.io', kind, '', errs);
}

/**
 * managerOrUserAgent: the validated `fieldManager` query parameter, or else the User-Agent's
 * product name — the part before the first '/', without unprintable characters, cut to 128
 * bytes (`kubectl/v1.32.0 (linux/amd64) kubernetes/abc` → `kubectl`). Empty when neither is given.
 */
export function managerFromRequest(fieldManager: string | undefined, userAgent: string | undefined, kind: WriteOptionsKind = 'UpdateOptions'): string {
  if (fieldManager) {
    validateFieldManager(fieldManager, kind);
    return fieldManager;
  }
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0]) {
    if (!PRINTABLE.test(ch)) continue;
    if (Buffer.byteLength(out + ch) > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}
