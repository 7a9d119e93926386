// A compact way to write Kubernetes type schemas. The schema files of this package describe the
// upstream v1.32 types field by field with these helpers; the OpenAPI documents, unknown-field
// detection (fieldValidation) and strategic-merge-patch metadata are all derived from them.

/** `x-kubernetes-patch-strategy` values as upstream's struct tags spell them. */
export type PatchStrategy = 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';

/**
 * One node of a type schema: a subset of the OpenAPI schema object plus Kubernetes' extensions.
 * Named types are shared through `ref` (a key of the schema registry such as 'core.v1.Container'),
 * never repeated inline.
 */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: 'int32' | 'int64' | 'double' | 'date-time' | 'byte';
  description?: string;
  /** Key of a shared schema in the registry ('core.v1.PodSpec'). */
  ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema;
  enum?: string[];
  /** Scalars that accept two JSON types; OpenAPI v2 and v3 render them differently. */
  scalar?: 'quantity' | 'int-or-string';
  /** Arbitrary JSON (RawExtension, FieldsV1): nothing below is checked for unknown fields. */
  preserveUnknownFields?: boolean;
  patchMergeKey?: string;
  patchStrategy?: PatchStrategy;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
  structType?: 'atomic' | 'granular';
}

/** Named schemas, keyed by short id: `<group>.<version>.<Type>` ('apps.v1.DeploymentSpec'). */
export type SchemaSet = Record<string, Schema>;

/** List extensions, named after the struct tags / markers they mirror. */
export interface ListExt {
  mergeKey?: string;
  strategy?: PatchStrategy;
  listType?: 'atomic' | 'set' | 'map';
  mapKeys?: string[];
}

const withDoc = (s: Schema, description?: string): Schema => (description ? { ...s, description } : s);

export const str = (description?: string): Schema => withDoc({ type: 'string' }, description);
export const oneOf = (values: string[], description?: string): Schema => withDoc({ type: 'string', enum: values }, description);
export const int32 = (description?: string): Schema => withDoc({ type: 'integer', format: 'int32' }, description);
export const int64 = (description?: string): Schema => withDoc({ type: 'integer', format: 'int64' }, description);
export const num = (description?: string): Schema => withDoc({ type: 'number', format: 'double' }, description);
export const bool = (description?: string): Schema => withDoc({ type: 'boolean' }, description);
/** base64-encoded bytes on the wire (`[]byte` in Go). */
export const bytes = (description?: string): Schema => withDoc({ type: 'string', format: 'byte' }, description);

export const ref = (id: string, description?: string, ext: Pick<Schema, 'patchStrategy' | 'structType'> = {}): Schema =>
  withDoc({ ref: id, ...ext }, description);
export const time = (description?: string) => ref('meta.v1.Time', description);
export const microTime = (description?: string) => ref('meta.v1.MicroTime', description);
export const quantity = (description?: string) => ref('resource.Quantity', description);
export const intOrString = (description?: string) => ref('intstr.IntOrString', description);
export const raw = (description?: string) => ref('runtime.RawExtension', description);

export function list(items: Schema, description?: string, ext: ListExt = {}): Schema {
  const s: Schema = { type: 'array', items };
  if (ext.mergeKey) s.patchMergeKey = ext.mergeKey;
  if (ext.strategy) s.patchStrategy = ext.strategy;
  if (ext.listType) s.listType = ext.listType;
  if (ext.mapKeys) s.listMapKeys = ext.mapKeys;
  return withDoc(s, description);
}

export const map = (values: Schema, description?: string, ext: Pick<Schema, 'mapType'> = {}): Schema =>
  withDoc({ type: 'object', additionalProperties: values, ...ext }, description);
export const strMap = (description?: string, ext: Pick<Schema, 'mapType'> = {}) => map(str(), description, ext);
export const strList = (description?: string, ext: ListExt = {}) => list(str(), description, ext);

/** A struct: `required` lists fields upstream marks required (no `+optional`, no `omitempty`). */
export function obj(description: string, properties: Record<string, Schema>, required?: string[]): Schema {
  return { type: 'object', description, properties, ...(required?.length ? { required } : {}) };
}

/** The TypeMeta pair every kind carries. */
export const typeMeta = {
  apiVersion: str('Versioned schema of this object, such as v1 or apps/v1; the server converts known versions.'),
  kind: str('The REST resource this object represents, in CamelCase, such as Pod.'),
};
