import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { dns1035LabelErrors, dns1123LabelErrors, dns1123SubdomainErrors, invalidValue, labelValue, qualifiedName, qualifiedNameErrors, required } from './names.ts';

/** Which name rule a kind's `metadata.name` follows (apimachinery's ValidateNameFunc). */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function pathSegmentErrors(name: string, prefix: boolean): string[] {
  const errs: string[] = [];
  if (!prefix) for (const bad of ['.', '..']) if (name === bad) errs.push(`may not be '${bad}'`);
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

// A generateName is checked as if a suffix followed it: upstream swaps a trailing dash (and the
// character before it) for "a".
const maskTrailingDash = (name: string) => (name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name);

/** The name function of `rule`; `prefix` for generateName. */
export function nameErrors(rule: NameRule, name: string, prefix = false): string[] {
  if (rule === 'path') return pathSegmentErrors(name, prefix);
  const n = prefix ? maskTrailingDash(name) : name;
  return rule === 'label' ? dns1123LabelErrors(n) : rule === 'dns1035' ? dns1035LabelErrors(n) : dns1123SubdomainErrors(n);
}

/**
 * ValidateObjectMeta's per-kind part, in upstream's order: generateName, name, labels,
 * annotations. (Namespace, finalizer and ownerReference rules are the registry's, run for every kind.)
 */
export function validateMeta(obj: KObject, rule: NameRule = 'subdomain'): FieldError[] {
  const m = obj.metadata as unknown;
  if (!isRecord(m)) return [required('metadata')];
  const out: FieldError[] = [];
  if (typeof m.generateName === 'string' && m.generateName) {
    for (const msg of nameErrors(rule, m.generateName, true)) out.push(invalidValue('metadata.generateName', m.generateName, msg));
  }
  if (typeof m.name !== 'string' || m.name === '') out.push(required('metadata.name', 'name or generateName is required'));
  else for (const msg of nameErrors(rule, m.name)) out.push(invalidValue('metadata.name', m.name, msg));
  out.push(...validateLabels('metadata.labels', m.labels));
  out.push(...validateAnnotations('metadata.annotations', m.annotations));
  return out;
}

/** ValidateLabels: every key a qualified name, every value a label value; errors on the map's path. */
export function validateLabels(field: string, labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isRecord(labels)) return [invalidValue(field, labels, 'must be a map of strings')];
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) out.push(...qualifiedName(field, k), ...labelValue(field, v));
  return out;
}

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

/** ValidateAnnotations: keys are qualified names ignoring case; all of them ≤ 256 KiB together. */
export function validateAnnotations(field: string, annotations: unknown): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isRecord(annotations)) return [invalidValue(field, annotations, 'must be a map of strings')];
  const out: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of qualifiedNameErrors(k.toLowerCase())) out.push(invalidValue(field, k, msg));
    if (typeof v !== 'string') out.push(invalidValue(`${field}[${k}]`, v, 'must be a string'));
    else size += k.length + Buffer.byteLength(v);
  }
  if (size > TOTAL_ANNOTATION_SIZE) out.push({ type: 'FieldValueTooLong', field, message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE} bytes` });
  return out;
}
