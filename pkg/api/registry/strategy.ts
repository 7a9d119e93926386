import type { ResourceDef } from '../resource.ts';
import { badRequest, invalid } from '../status.ts';
import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { apiVersionOf, isObject } from './meta.ts';
import { dedupe, validateObjectMeta, validateObjectMetaUpdate } from './meta-validation.ts';

/** A private, mutable copy of a request body, checked to be an object with metadata. */
export function bodyCopy(body: unknown): KObject {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  const obj = structuredClone(body) as KObject;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isObject(obj.metadata)) throw badRequest('metadata must be an object');
  return obj;
}

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
  const errs = def.strategy?.validate?.(obj) ?? [];
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

function throwInvalid(def: ResourceDef, obj: KObject, errs: FieldError[]): void {
  if (errs.length) throw invalid(def.group, def.kind, obj.metadata.name ?? '', dedupe(errs));
}
