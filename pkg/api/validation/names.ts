import type { FieldError } from '../status.ts';

/** Name and label rules of apimachinery's validation package, with its messages. */

const dns1123LabelRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123SubdomainRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035LabelRe = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedNameRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid', field, message: `Invalid value: ${goValue(value)}: ${detail}`,
});
export const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' });
export const notSupported = (field: string, value: unknown, allowed: string[]): FieldError => ({
  type: 'FieldValueNotSupported', field, message: `Unsupported value: ${goValue(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
});
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, message: `Duplicate value: ${goValue(value)}` });

/** How Go's %v/%q print a value in field errors: strings quoted, numbers bare. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

export function dns1123Subdomain(field: string, v: string): FieldError[] {
  const out: FieldError[] = [];
  if (v.length > 253) out.push(invalidValue(field, v, 'must be no more than 253 characters'));
  if (!dns1123SubdomainRe.test(v)) {
    out.push(invalidValue(field, v, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
  }
  return out;
}

export function dns1123Label(field: string, v: string): FieldError[] {
  const out: FieldError[] = [];
  if (v.length > 63) out.push(invalidValue(field, v, 'must be no more than 63 characters'));
  if (!dns1123LabelRe.test(v)) {
    out.push(invalidValue(field, v, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
  }
  return out;
}

export function dns1035Label(field: string, v: string): FieldError[] {
  const out: FieldError[] = [];
  if (v.length > 63) out.push(invalidValue(field, v, 'must be no more than 63 characters'));
  if (!dns1035LabelRe.test(v)) {
    out.push(invalidValue(field, v, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
  }
  return out;
}

/** Label and annotation keys: optional DNS-subdomain prefix, then a qualified name of ≤ 63 chars. */
export function qualifiedName(field: string, key: string): FieldError[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const out: FieldError[] = [];
  if (prefix !== undefined && (prefix === '' || !dns1123SubdomainRe.test(prefix) || prefix.length > 253)) {
    out.push(invalidValue(field, key, 'prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character'));
  }
  if (name.length === 0 || name.length > 63 || !qualifiedNameRe.test(name)) {
    out.push(invalidValue(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') and must be no more than 63 characters"));
  }
  return out;
}

export function labelValue(field: string, v: unknown): FieldError[] {
  if (typeof v !== 'string') return [invalidValue(field, v, 'must be a string')];
  if (v.length > 63 || !labelValueRe.test(v)) {
    return [invalidValue(field, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?') and must be no more than 63 characters")];
  }
  return [];
}
