import type { ResourceDef } from '../resource.ts';
import type { FieldError } from '../status.ts';
import type { KObject, OwnerReference } from '../types/index.ts';
import { labelValueErrors, qualifiedNameErrors, quote } from './label-syntax.ts';
import { pathSegmentErrors } from './scope.ts';

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

const invalidValue = (field: string, value: unknown, msg: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${typeof value === 'string' ? quote(value) : JSON.stringify(value)}: ${msg}`,
});

/**
 * apiserver's generic ObjectMeta validation (ValidateObjectMetaAccessor), run after the kind's
 * own validation passes, so the kind's more specific messages win (as upstream orders them).
 */
export function validateObjectMeta(def: ResourceDef, obj: KObject): FieldError[] {
  const m = obj.metadata;
  const errs: FieldError[] = [];
  if (!m.name && !m.generateName) errs.push({ type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  if (m.name) for (const msg of pathSegmentErrors(m.name)) errs.push(invalidValue('metadata.name', m.name, msg));
  if (m.generateName) {
    for (const msg of pathSegmentErrors(m.generateName).filter((e) => e.startsWith('may not contain'))) errs.push(invalidValue('metadata.generateName', m.generateName, msg));
  }
  if (def.namespaced && !m.namespace) errs.push({ type: 'FieldValueRequired', field: 'metadata.namespace', message: 'Required value' });
  if (!def.namespaced && m.namespace) errs.push({ type: 'FieldValueForbidden', field: 'metadata.namespace', message: 'Forbidden: not allowed on this type' });
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    for (const msg of qualifiedNameErrors(k)) errs.push(invalidValue('metadata.labels', k, msg));
    if (typeof v !== 'string') errs.push(invalidValue('metadata.labels', v, 'must be a string'));
    else for (const msg of labelValueErrors(v)) errs.push(invalidValue('metadata.labels', v, msg));
  }
  let size = 0;
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    for (const msg of qualifiedNameErrors(k.toLowerCase())) errs.push(invalidValue('metadata.annotations', k, msg));
    size += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE) errs.push({ type: 'FieldValueTooLong', field: 'metadata.annotations', message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE} bytes` });
  errs.push(...validateFinalizers(m.finalizers ?? []));
  errs.push(...validateOwnerReferences(m.ownerReferences ?? []));
  return errs;
}

function validateFinalizers(finalizers: string[]): FieldError[] {
  const errs: FieldError[] = [];
  finalizers.forEach((f, i) => {
    for (const msg of qualifiedNameErrors(f)) errs.push(invalidValue(`metadata.finalizers[${i}]`, f, msg));
  });
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalidValue('metadata.finalizers', finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function validateOwnerReferences(refs: OwnerReference[]): FieldError[] {
  const errs: FieldError[] = [];
  const field = 'metadata.ownerReferences';
  let controller: string | undefined;
  for (const ref of refs) {
    if (!ref.apiVersion) errs.push(invalidValue(`${field}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(invalidValue(`${field}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(invalidValue(`${field}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(invalidValue(`${field}.uid`, ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller) {
      const me = `${ref.kind}/${ref.name}`;
      if (controller) errs.push(invalidValue(field, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${me}`));
      else controller = me;
    }
  }
  return errs;
}

/** ValidateObjectMetaUpdate's rules that the registry does not already enforce by copying. */
export function validateObjectMetaUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.metadata.uid !== old.metadata.uid) errs.push(invalidValue('metadata.uid', obj.metadata.uid ?? '', 'field is immutable'));
  if (old.metadata.deletionTimestamp) {
    const before = new Set(old.metadata.finalizers ?? []);
    const added = [...new Set(obj.metadata.finalizers ?? [])].filter((f) => !before.has(f)).sort();
    if (added.length) {
      errs.push({
        type: 'FieldValueForbidden',
        field: 'metadata.finalizers',
        message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map(quote).join(', ')}}`,
      });
    }
  }
  return errs;
}

/** Keeps the first of equal causes: a strategy may repeat a generic ObjectMeta check. */
export function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.field}\u0000${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
