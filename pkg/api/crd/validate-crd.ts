import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { dns1035LabelErrors, dns1123SubdomainErrors, invalidValue, notSupported, required } from '../validation/index.ts';
import { validateStructural } from './structural.ts';
import { isRecord } from './schema.ts';

/**
 * CustomResourceDefinition validation (apiextensions' ValidateCustomResourceDefinition for v1),
 * after defaulting: the name is `<plural>.<group>`, the group a domain with a dot, names DNS
 * labels, scope Cluster or Namespaced, exactly one storage version, a structural schema per
 * version, sound subresources and printer columns. Every problem at once, upstream's wording.
 */
export function validateCrd(obj: KObject): FieldError[] {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const out: FieldError[] = [];
  const names = isRecord(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const name = obj.metadata.name ?? '';
  if (name && name !== `${String(names.plural ?? '')}.${group}`) out.push(invalidValue('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (isProtectedGroup(group) && !obj.metadata.annotations?.['api-approved.kubernetes.io']) {
    out.push(required('metadata.annotations[api-approved.kubernetes.io]', 'protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111'));
  }
  if (!group) out.push(required('spec.group'));
  else if (dns1123SubdomainErrors(group).length) out.push(invalidValue('spec.group', group, dns1123SubdomainErrors(group).join(',')));
  else if (group.split('.').length < 2) out.push(invalidValue('spec.group', group, 'should be a domain with at least one dot'));

  if (!spec.scope) out.push(required('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') out.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));

  out.push(...versions(spec));
  for (const key of ['plural', 'singular', 'kind', 'listKind']) if (!names[key]) out.push(required(`spec.names.${key}`));
  out.push(...validateNames(names, 'spec.names'));
  if (spec.preserveUnknownFields === true) {
    out.push(invalidValue('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  }
  const conversion = isRecord(spec.conversion) ? spec.conversion : {};
  if (conversion.strategy !== undefined && conversion.strategy !== 'None') {
    out.push(notSupported('spec.conversion.strategy', conversion.strategy, ['None']));
  }
  return out;
}

/** Update rules: group and plural never change; scope and kind not once established. */
export function validateCrdUpdate(obj: KObject, old: KObject): FieldError[] {
  const [spec, prev] = [obj.spec as any ?? {}, old.spec as any ?? {}];
  const out: FieldError[] = [];
  const immutable = (field: string, a: unknown, b: unknown) => {
    if (a !== b) out.push(invalidValue(field, a, 'field is immutable'));
  };
  const established = ((old.status as any)?.conditions ?? []).some((c: any) => c?.type === 'Established' && c?.status === 'True');
  if (established) {
    immutable('spec.scope', spec.scope, prev.scope);
    immutable('spec.names.kind', spec.names?.kind, prev.names?.kind);
  }
  immutable('spec.group', spec.group, prev.group);
  immutable('spec.names.plural', spec.names?.plural, prev.names?.plural);
  const served = new Set((Array.isArray(spec.versions) ? spec.versions : []).map((v: any) => v?.name));
  const stored: unknown[] = Array.isArray((obj.status as any)?.storedVersions) ? (obj.status as any).storedVersions : [];
  stored.forEach((v, i) => {
    if (!served.has(v)) out.push(invalidValue(`status.storedVersions[${i}]`, v, 'must appear in spec.versions'));
  });
  return out;
}

export function validateNames(names: Record<string, unknown>, path: string): FieldError[] {
  const out: FieldError[] = [];
  const label = (field: string, v: unknown, mixedCase = false) => {
    if (typeof v !== 'string' || !v) return;
    const errs = dns1035LabelErrors(mixedCase ? v.toLowerCase() : v);
    if (errs.length) out.push(invalidValue(`${path}.${field}`, v, `${mixedCase ? 'may have mixed case, but should otherwise match: ' : ''}${errs.join(',')}`));
  };
  label('plural', names.plural);
  label('singular', names.singular);
  label('kind', names.kind, true);
  label('listKind', names.listKind, true);
  (Array.isArray(names.shortNames) ? names.shortNames : []).forEach((s, i) => label(`shortNames[${i}]`, s));
  if (names.kind && names.kind === names.listKind) out.push(invalidValue(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  (Array.isArray(names.categories) ? names.categories : []).forEach((c, i) => label(`categories[${i}]`, c));
  return out;
}

function versions(spec: Record<string, unknown>): FieldError[] {
  const out: FieldError[] = [];
  const list = Array.isArray(spec.versions) ? spec.versions : [];
  const printed = JSON.stringify(list.map((v) => (isRecord(v) ? v.name : v)));
  if (spec.versions !== undefined && !Array.isArray(spec.versions)) return [invalidValue('spec.versions', spec.versions, 'must be a list')];
  const seen = new Set<unknown>();
  let unique = true;
  let storage = 0;
  list.forEach((v, i) => {
    const at = `spec.versions[${i}]`;
    if (!isRecord(v)) {
      out.push(invalidValue(at, v, 'must be an object'));
      return;
    }
    if (v.storage === true) storage++;
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    const name = typeof v.name === 'string' ? v.name : '';
    const errs = dns1035LabelErrors(name);
    if (errs.length) out.push(invalidValue(`${at}.name`, v.name ?? '', errs.join(',')));
    const schema = isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (schema === undefined || schema === null) out.push(required(`${at}.schema.openAPIV3Schema`, 'schemas are required'));
    else out.push(...validateStructural(schema, `${at}.schema.openAPIV3Schema`));
    out.push(...subresources(v.subresources, `${at}.subresources`));
    (Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns : []).forEach((c, j) => out.push(...column(c, `${at}.additionalPrinterColumns[${j}]`)));
    (Array.isArray(v.selectableFields) ? v.selectableFields : []).forEach((f, j) => {
      const p = isRecord(f) ? f.jsonPath : undefined;
      if (typeof p !== 'string' || !p) out.push(required(`${at}.selectableFields[${j}].jsonPath`));
      else out.push(...simpleJsonPath(p, `${at}.selectableFields[${j}].jsonPath`));
    });
  });
  if (!unique) out.push(invalidValue('spec.versions', printed, 'must contain unique version names'));
  if (storage !== 1) out.push(invalidValue('spec.versions', printed, 'must have exactly one version marked as storage version'));
  return out;
}

function subresources(sub: unknown, path: string): FieldError[] {
  if (!isRecord(sub) || !isRecord(sub.scale)) return [];
  const scale = sub.scale;
  const out: FieldError[] = [];
  const under = (key: string, prefixes: string[], what: string, optional = false) => {
    const v = scale[key];
    if (v === undefined || v === '') {
      if (!optional) out.push(required(`${path}.scale.${key}`));
      return;
    }
    if (typeof v !== 'string') return void out.push(invalidValue(`${path}.scale.${key}`, v, 'must be a string'));
    const errs = simpleJsonPath(v, `${path}.scale.${key}`);
    if (errs.length) out.push(...errs);
    else if (!prefixes.some((p) => v.startsWith(p))) out.push(invalidValue(`${path}.scale.${key}`, v, `should be a json path under ${what}`));
  };
  under('specReplicasPath', ['.spec.'], '.spec');
  under('statusReplicasPath', ['.status.'], '.status');
  under('labelSelectorPath', ['.spec.', '.status.'], 'either .spec or .status', true);
  return out;
}

const columnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const columnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function column(c: unknown, path: string): FieldError[] {
  if (!isRecord(c)) return [invalidValue(path, c, 'must be an object')];
  const out: FieldError[] = [];
  if (!c.name) out.push(required(`${path}.name`));
  if (!c.type) out.push(required(`${path}.type`, `must be one of ${columnTypes.join(',')}`));
  else if (!columnTypes.includes(c.type as string)) out.push(invalidValue(`${path}.type`, c.type, `must be one of ${columnTypes.join(',')}`));
  if (c.format && !columnFormats.includes(c.format as string)) out.push(invalidValue(`${path}.format`, c.format, `must be one of ${columnFormats.join(',')}`));
  if (c.priority !== undefined && !Number.isInteger(c.priority)) out.push(invalidValue(`${path}.priority`, c.priority, 'must be an integer'));
  if (!c.jsonPath) out.push(required(`${path}.JSONPath`));
  else if (typeof c.jsonPath !== 'string') out.push(invalidValue(`${path}.JSONPath`, c.jsonPath, 'must be a string'));
  else out.push(...simpleJsonPath(c.jsonPath, `${path}.JSONPath`));
  return out;
}

function simpleJsonPath(s: string, path: string): FieldError[] {
  if (!s.startsWith('.')) return [invalidValue(path, s, 'must be a simple json path starting with .')];
  return [];
}

/** Groups under k8s.io and kubernetes.io need the community's API approval (KEP 1111). */
export function isProtectedGroup(group: string): boolean {
  return ['k8s.io', 'kubernetes.io'].some((d) => group === d || group.endsWith(`.${d}`));
}

