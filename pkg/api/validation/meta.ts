import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { dns1035Label, dns1123Label, dns1123Subdomain, invalidValue, labelValue, qualifiedName, required } from './names.ts';

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** ObjectMeta rules shared by every kind: the name, labels and annotations. */
export function validateMeta(obj: KObject, rule: NameRule = 'subdomain'): FieldError[] {
  const out: FieldError[] = [];
  const m = obj.metadata as unknown;
  if (!isRecord(m)) return [required('metadata')];
  const name = m.name;
  if (typeof name !== 'string' || name === '') {
    if (!(typeof m.generateName === 'string' && m.generateName)) out.push(required('metadata.name', 'name or generateName is required'));
  } else if (rule === 'subdomain') out.push(...dns1123Subdomain('metadata.name', name));
  else if (rule === 'label') out.push(...dns1123Label('metadata.name', name));
  else if (rule === 'dns1035') out.push(...dns1035Label('metadata.name', name));
  else if (name === '.' || name === '..' || /[/%]/.test(name)) out.push(invalidValue('metadata.name', name, 'may not contain \'/\' or \'%\', nor be \'.\' or \'..\''));
  out.push(...validateLabels('metadata.labels', m.labels));
  if (m.annotations !== undefined) {
    if (!isRecord(m.annotations)) out.push(invalidValue('metadata.annotations', m.annotations, 'must be a map of strings'));
    else {
      let size = 0;
      for (const [k, v] of Object.entries(m.annotations)) {
        out.push(...qualifiedName('metadata.annotations', k));
        if (typeof v !== 'string') out.push(invalidValue(`metadata.annotations[${k}]`, v, 'must be a string'));
        else size += k.length + v.length;
      }
      if (size > 256 * 1024) out.push({ type: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: must have at most 262144 bytes' });
    }
  }
  return out;
}

export function validateLabels(field: string, labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isRecord(labels)) return [invalidValue(field, labels, 'must be a map of strings')];
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    out.push(...qualifiedName(field, k));
    out.push(...labelValue(field, v));
  }
  return out;
}
