// The published schema of a kind that brings its own (a custom resource's openAPIV3Schema), as
// apiextensions' OpenAPI builder publishes it: apiVersion, kind and metadata (ObjectMeta) filled
// in, the group/version/kind named; Swagger 2.0 gets the schema without what 2.0 cannot say.
import type { GroupVersionKind } from '../schema/index.ts';
import { componentName, refTo } from './render.ts';
import type { Flavour, Json } from './render.ts';

const docs = {
  apiVersion: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  metadata: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
};

// Swagger 2.0 has no nullable and no combinators; upstream drops them from the v2 document.
const notInV2 = new Set(['nullable', 'anyOf', 'oneOf', 'allOf', 'not']);
// Keys whose value is a value, not a schema: copied as they are.
const values = new Set(['default', 'enum', 'example', 'required']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function copy(s: Json, flavour: Flavour): Json {
  const out: Json = {};
  for (const [k, x] of Object.entries(s)) {
    if (flavour === 'v2' && notInV2.has(k)) continue;
    if (values.has(k) || k.startsWith('x-')) out[k] = structuredClone(x);
    else if (k === 'properties' && isObject(x)) out[k] = Object.fromEntries(Object.entries(x).map(([name, p]) => [name, isObject(p) ? copy(p, flavour) : p]));
    else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && isObject(x)) out[k] = copy(x, flavour);
    else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf' || k === 'items') && Array.isArray(x)) out[k] = x.map((y) => (isObject(y) ? copy(y, flavour) : y));
    else out[k] = structuredClone(x);
  }
  if (flavour === 'v2') toV2(out, s);
  return out;
}

/**
 * What apiextensions does to a structural schema for Swagger 2.0, for kubectl's sake: a nullable
 * or unknown-field-preserving node loses what kubectl's validation would wrongly enforce (type,
 * items, properties), an array left without items loses its type, and nullable fields are no
 * longer required.
 */
function toV2(out: Json, original: Json): void {
  if (original.nullable === true) {
    delete out.type;
    delete out.items;
    delete out.properties;
  }
  if (original['x-kubernetes-preserve-unknown-fields'] === true) {
    delete out.items;
    delete out.properties;
  }
  if (out.type === 'array' && !out.items) delete out.type;
  const props = isObject(original.properties) ? original.properties : {};
  if (Array.isArray(out.required)) {
    out.required = out.required.filter((f) => !(isObject(props[f as string]) && (props[f as string] as Json).nullable === true));
    if (!(out.required as unknown[]).length) delete out.required;
  }
  if (isObject(original.additionalProperties) && original.additionalProperties.nullable === true) delete out.additionalProperties;
}

export function customResourceSchema(schema: Record<string, unknown>, gvk: GroupVersionKind, flavour: Flavour): Json {
  const out = copy(schema, flavour);
  const meta = { $ref: refTo(flavour, componentName('meta.v1.ObjectMeta')) };
  out.type = 'object';
  out.properties = {
    ...(out.properties as Json | undefined),
    apiVersion: { type: 'string', description: docs.apiVersion },
    kind: { type: 'string', description: docs.kind },
    metadata: flavour === 'v3' ? { allOf: [meta], description: docs.metadata } : { ...meta, description: docs.metadata },
  };
  out['x-kubernetes-group-version-kind'] = [{ group: gvk.group, kind: gvk.kind, version: gvk.version }];
  return out;
}
