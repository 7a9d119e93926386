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

function copy(v: unknown, flavour: Flavour): unknown {
  if (Array.isArray(v)) return v.map((x) => copy(x, flavour));
  if (v === null || typeof v !== 'object') return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    if (flavour === 'v2' && notInV2.has(k)) continue;
    // default, enum and example are values, not schemas: copied as they are.
    out[k] = k === 'default' || k === 'enum' || k === 'example' ? structuredClone(x) : copy(x, flavour);
  }
  return out;
}

export function customResourceSchema(schema: Record<string, unknown>, gvk: GroupVersionKind, flavour: Flavour): Json {
  const out = copy(schema, flavour) as Json;
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
