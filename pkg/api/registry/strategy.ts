import type { ResourceDef } from '../resource.ts';
import { badRequest, invalid } from '../status.ts';
import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { apiVersionOf, isObject } from './meta.ts';
import { dedupe, validateObjectMeta, validateObjectMetaUpdate } from './meta-validation.ts';

/** A private, mutable copy of a request body, checked to be an object with a well-typed metadata. */
export function bodyCopy(body: unknown): KObject {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  const obj = structuredClone(body) as KObject;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isObject(obj.metadata)) throw badRequest('metadata must be an object');
  checkMetaTypes(obj.metadata as Record<string, unknown>);
  return obj;
}

type GoType = 'string' | 'int64' | 'map[string]string' | '[]string' | '[]object';
const metaTypes: Record<string, GoType> = {
  name: 'string', generateName: 'string', namespace: 'string', uid: 'string', resourceVersion: 'string', selfLink: 'string',
  creationTimestamp: 'string', deletionTimestamp: 'string', generation: 'int64', deletionGracePeriodSeconds: 'int64',
  labels: 'map[string]string', annotations: 'map[string]string', finalizers: '[]string', ownerReferences: '[]object', managedFields: '[]object',
};

/**
 * What Go's decoder refuses before any handler runs: ObjectMeta fields of the wrong JSON type
 * (400, worded as encoding/json does). Later code relies on these types.
 */
function checkMetaTypes(meta: Record<string, unknown>): void {
  for (const [field, type] of Object.entries(metaTypes)) {
    const v = meta[field];
    if (v === undefined || v === null) continue;
    const bad = misfit(v, type);
    if (bad) throw badRequest(`json: cannot unmarshal ${jsonType(bad.value)} into Go struct field ObjectMeta.metadata.${field} of type ${bad.goType}`);
  }
}

/** The offending value and the Go type it should have had (an element's, for maps and lists). */
function misfit(v: unknown, type: GoType): { value: unknown; goType: string } | undefined {
  switch (type) {
    case 'string':
      return typeof v === 'string' ? undefined : { value: v, goType: 'string' };
    case 'int64':
      return Number.isInteger(v) ? undefined : { value: v, goType: 'int64' };
    case 'map[string]string': {
      if (!isObject(v)) return { value: v, goType: type };
      const el = Object.values(v).find((x) => typeof x !== 'string');
      return el === undefined ? undefined : { value: el, goType: 'string' };
    }
    default: {
      if (!Array.isArray(v)) return { value: v, goType: type };
      const el = v.find((x) => (type === '[]string' ? typeof x !== 'string' : !isObject(x)));
      return el === undefined ? undefined : { value: el, goType: type === '[]string' ? 'string' : 'struct' };
    }
  }
}

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v);

/** A body may omit apiVersion/kind; when present they must name the endpoint's kind. */
export function checkTypeMeta(expected: { group: string; version: string; kind: string }, obj: KObject): void {
  const av = apiVersionOf(expected);
  if (obj.apiVersion !== undefined && obj.apiVersion !== av) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${av})`);
  }
  if (obj.kind !== undefined && obj.kind !== expected.kind) {
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${expected.kind})`);
  }
}

/** The name in a PUT/PATCH body must be the URL's (an empty one is filled in). */
export function checkBodyName(obj: KObject, name: string): void {
  if (!obj.metadata.name) obj.metadata.name = name;
  else if (obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
}

/** EnsureObjectNamespaceMatchesRequestNamespace: fill in, clear for cluster scope, or 400. */
export function checkBodyNamespace(def: ResourceDef, obj: KObject, namespace: string | undefined): void {
  if (!def.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (!obj.metadata.namespace) obj.metadata.namespace = namespace;
  else if (namespace && obj.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
}

export function validateCreate(def: ResourceDef, obj: KObject): void {
  const errs = [...(def.strategy?.validate?.(obj) ?? []), ...(def.strategy?.validateCreate?.(obj) ?? [])];
  // As BeforeCreate: generic ObjectMeta checks only once the kind's own validation passed.
  throwInvalid(def, obj, errs.length ? errs : validateObjectMeta(def, obj));
}

export function validateUpdate(def: ResourceDef, obj: KObject, old: KObject): void {
  const own = [...(def.strategy?.validate?.(obj) ?? []), ...(def.strategy?.validateUpdate?.(obj, old) ?? [])];
  throwInvalid(def, obj, [...validateObjectMetaUpdate(obj, old), ...(own.length ? own : validateObjectMeta(def, obj))]);
}

export function validateStatusUpdate(def: ResourceDef, obj: KObject, old: KObject): void {
  throwInvalid(def, obj, [...validateObjectMetaUpdate(obj, old), ...(def.strategy?.validateStatusUpdate?.(obj, old) ?? [])]);
}

/** ValidatePodEphemeralContainersUpdate: metadata rules, the whole spec, then the additions-only rule. */
export function validateEphemeralContainersUpdate(def: ResourceDef, obj: KObject, old: KObject): void {
  throwInvalid(def, obj, [...validateObjectMetaUpdate(obj, old), ...(def.strategy?.validate?.(obj) ?? []), ...(def.strategy?.validateEphemeralContainersUpdate?.(obj, old) ?? [])]);
}

function throwInvalid(def: ResourceDef, obj: KObject, errs: FieldError[]): void {
  if (errs.length) throw invalid(def.group, def.kind, obj.metadata.name ?? '', dedupe(errs));
}
