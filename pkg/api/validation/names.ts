import type { FieldError } from '../status.ts';
import { goValue } from './go-format.ts';

/**
 * Name, label and port rules of apimachinery's validation package, worded as it words them:
 * kubectl prints `* spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label …`
 * verbatim, so the messages are part of the contract.
 */

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;
const configMapKeyFmt = '[-._a-zA-Z0-9]+';

const full = (fmt: string) => new RegExp(`^(?:${fmt})$`);
const dns1123LabelRe = full(dns1123LabelFmt);
const dns1123SubdomainRe = full(dns1123SubdomainFmt);
const dns1035LabelRe = full(dns1035LabelFmt);
const qualifiedNameRe = full(qualifiedNameFmt);
const labelValueRe = full(labelValueFmt);
const configMapKeyRe = full(configMapKeyFmt);

/** apimachinery's RegexError: `<msg> (e.g. 'a',  or 'b', regex used for validation is '<fmt>')`. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const eg = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}
const maxLen = (n: number) => `must be no more than ${n} characters`;

const subdomainMsg = regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFmt, 'example.com');
const labelMsg = regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", dns1123LabelFmt, 'my-name', '123-abc');
const dns1035Msg = regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", dns1035LabelFmt, 'my-name', 'abc-123');
const qualifiedMsg = regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, 'MyName', 'my.name', '123-abc');
const labelValueMsg = regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", labelValueFmt, 'MyValue', 'my_value', '12345');
const configKeyMsg = regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name');

export const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid', field, message: `Invalid value: ${goValue(value)}: ${detail}`,
});
/** Like invalidValue, for values already printed the Go way (maps, structs). */
export const invalidPrinted = (field: string, printed: string, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, message: `Invalid value: ${printed}: ${detail}` });
export const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' });
export const notSupported = (field: string, value: unknown, allowed: string[]): FieldError => ({
  type: 'FieldValueNotSupported', field, message: `Unsupported value: ${goValue(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
});
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` });
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, message: `Duplicate value: ${goValue(value)}` });

/** The raw messages (IsDNS1123Subdomain & co.), for callers that build their own FieldError. */
export function dns1123SubdomainErrors(v: string): string[] {
  return [...(v.length > 253 ? [maxLen(253)] : []), ...(dns1123SubdomainRe.test(v) ? [] : [subdomainMsg])];
}
export function dns1123LabelErrors(v: string): string[] {
  return [...(v.length > 63 ? [maxLen(63)] : []), ...(dns1123LabelRe.test(v) ? [] : [labelMsg])];
}
export function dns1035LabelErrors(v: string): string[] {
  return [...(v.length > 63 ? [maxLen(63)] : []), ...(dns1035LabelRe.test(v) ? [] : [dns1035Msg])];
}

/** IsQualifiedName: label and annotation keys, finalizers (`[prefix/]name`). */
export function qualifiedNameErrors(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return [`a qualified name ${qualifiedMsg} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const errs: string[] = [];
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0] === '') errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(parts[0]).map((m) => `prefix part ${m}`));
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (!qualifiedNameRe.test(name)) errs.push(`name part ${qualifiedMsg}`);
  return errs;
}

const each = (field: string, value: unknown, msgs: string[]) => msgs.map((m) => invalidValue(field, value, m));

export const dns1123Subdomain = (field: string, v: string) => each(field, v, dns1123SubdomainErrors(v));
export const dns1123Label = (field: string, v: string) => each(field, v, dns1123LabelErrors(v));
export const dns1035Label = (field: string, v: string) => each(field, v, dns1035LabelErrors(v));
export const qualifiedName = (field: string, key: string) => each(field, key, qualifiedNameErrors(key));

/** IsValidLabelValue: the length and the syntax are separate problems, as upstream reports them. */
export function labelValue(field: string, v: unknown): FieldError[] {
  if (typeof v !== 'string') return [invalidValue(field, v, 'must be a string')];
  return each(field, v, [...(v.length > 63 ? [maxLen(63)] : []), ...(labelValueRe.test(v) ? [] : [labelValueMsg])]);
}

/** IsConfigMapKey: keys of ConfigMap data/binaryData and Secret data. */
export function configMapKeyErrors(key: string): string[] {
  const errs = [...(key.length > 253 ? [maxLen(253)] : []), ...(configMapKeyRe.test(key) ? [] : [configKeyMsg])];
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** IsValidPortNum. */
export const portNumberErrors = (n: unknown): string[] => (Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535 ? [] : ['must be between 1 and 65535, inclusive']);

/** IsValidPortName (IANA_SVC_NAME). */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push(maxLen(15));
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  else if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** ValidateNonnegativeField. */
export const nonNegative = (field: string, v: unknown): FieldError[] =>
  (typeof v === 'number' && v < 0 ? [invalidValue(field, v, 'must be greater than or equal to 0')] : []);

/** ValidatePositiveIntOrPercent + IsNotMoreThan100Percent (deployment and daemonset rollouts). */
export function intOrPercent(field: string, v: unknown, atMost100 = false): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'number') return nonNegative(field, v);
  if (typeof v !== 'string') return [invalidValue(field, v, "must be an integer or percentage (e.g '5%')")];
  // 1.32 prints the IntOrString value with %#v (its String() has a pointer receiver).
  const printed = `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`;
  if (!/^[0-9]+%$/.test(v)) return [invalidPrinted(field, printed, regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%'))];
  if (atMost100 && Number(v.slice(0, -1)) > 100) return [invalidPrinted(field, printed, 'must not be greater than 100%')];
  return [];
}
