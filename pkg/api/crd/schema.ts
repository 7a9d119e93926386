/**
 * The OpenAPI v3 schema of a CustomResourceDefinition version (apiextensions' JSONSchemaProps) as
 * the CR code reads it. Values come from users: the CRD validation (structural.ts) guarantees
 * the shape before any custom resource is judged by it, and the walkers still check what they
 * touch, so a schema that slipped through can never crash a request.
 */
export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  title?: string;
  nullable?: boolean;
  default?: unknown;
  example?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: unknown[];
}

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The schema a property of an object node has: its own, else additionalProperties'; undefined when unknown. */
export function propertySchema(s: Schema, key: string): Schema | undefined {
  const own = isRecord(s.properties) ? s.properties[key] : undefined;
  if (isRecord(own)) return own;
  return isRecord(s.additionalProperties) ? s.additionalProperties : undefined;
}

export const preservesUnknown = (s: Schema) => s['x-kubernetes-preserve-unknown-fields'] === true;

/** The JSON type name of a value as go-openapi infers it ("integer" for whole numbers). */
export function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** ObjectMeta's fields: what a custom resource's (or an embedded resource's) metadata keeps. */
export const objectMetaFields = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

/** Child path the way go-openapi names it: `spec.replicas`, `spec.items.0`. */
export const child = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
