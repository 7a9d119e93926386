import type { FieldError } from '../status.ts';
import { forbidden, invalidValue, notSupported, required } from '../validation/index.ts';
import { patternCompiles, validateAgainstSchema } from './validate-object.ts';
import { isRecord, type Schema } from './schema.ts';

type Level = 'root' | 'item' | 'field';

const types = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const unsupportedKeys = ['$ref', '$schema', 'id', 'definitions', 'dependencies', 'patternProperties', 'additionalItems'] as const;

/**
 * A version's openAPIV3Schema must be structural (apiextensions' ValidateStructural plus the
 * schema rules of ValidateCustomResourceDefinitionOpenAPISchema): every specified node has a type,
 * the root is an object, metadata may only constrain name and generateName, extensions are
 * consistent, patterns compile and defaults satisfy their own node. Paths read as upstream's
 * (`….openAPIV3Schema.properties[spec].type`).
 */
export function validateStructural(schema: unknown, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (!isRecord(schema)) return [invalidValue(path, schema, 'must be an object')];
  node(schema as Schema, 'root', path, out);
  return out;
}

function node(s: Schema, level: Level, path: string, out: FieldError[]): void {
  for (const key of unsupportedKeys) if (s[key as keyof Schema] !== undefined) out.push(forbidden(`${path}.${key}`, `${key} is not supported`));
  if (s.uniqueItems === true) out.push(forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.type !== undefined && (typeof s.type !== 'string' || !types.includes(s.type))) out.push(notSupported(`${path}.type`, s.type, types));
  if (s['x-kubernetes-preserve-unknown-fields'] === false) out.push(invalidValue(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  if (intOrString && s['x-kubernetes-preserve-unknown-fields']) out.push(invalidValue(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && s.type) out.push(invalidValue(`${path}.type`, s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (embedded && intOrString) out.push(invalidValue(`${path}.x-kubernetes-int-or-string`, true, 'must be false if x-kubernetes-embedded-resource is true'));
  if (embedded && s.type !== 'object') {
    out.push(s.type ? invalidValue(`${path}.type`, s.type, 'must be object if x-kubernetes-embedded-resource is true') : required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!s.type && !embedded && !intOrString) {
    const where = level === 'root' ? 'at the root' : level === 'item' ? 'for specified array items' : 'for specified object fields';
    out.push(required(`${path}.type`, `must not be empty ${where}`));
  }
  if (level === 'root' && s.type && s.type !== 'object') out.push(invalidValue(`${path}.type`, s.type, 'must be object at the root'));
  if (s.type === 'array' && s.items === undefined) out.push(required(`${path}.items`, 'must be specified'));
  if (s.items !== undefined) {
    if (isRecord(s.items)) node(s.items, 'item', `${path}.items`, out);
    else out.push(forbidden(`${path}.items`, 'items must be a schema object'));
  }
  const props = s.properties;
  if (props !== undefined && !isRecord(props)) out.push(invalidValue(`${path}.properties`, props, 'must be a map of schemas'));
  const ap = s.additionalProperties;
  if (ap !== undefined) {
    if (level === 'root') out.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    if (embedded) out.push(forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
    if (isRecord(props) && Object.keys(props).length && (ap === false || isRecord(ap))) out.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
    if (isRecord(ap)) node(ap, 'field', `${path}.additionalProperties`, out);
  }
  if (isRecord(props)) {
    for (const [k, v] of Object.entries(props)) {
      if (isRecord(v)) node(v, 'field', `${path}.properties[${k}]`, out);
      else out.push(invalidValue(`${path}.properties[${k}]`, v, 'must be a schema object'));
    }
    if (level === 'root' || embedded) resourceFields(props, level, path, out);
  }
  if (embedded && !s['x-kubernetes-preserve-unknown-fields'] && !(isRecord(props) && Object.keys(props).length)) {
    out.push(required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  values(s, path, out);
}

/** apiVersion/kind/metadata of a resource root; the root's metadata may only shape name and generateName. */
function resourceFields(props: Record<string, Schema>, level: Level, path: string, out: FieldError[]): void {
  for (const key of ['kind', 'apiVersion']) {
    const p = props[key];
    if (isRecord(p) && p.type !== 'string') out.push(invalidValue(`${path}.properties[${key}].type`, p.type ?? '', 'must be string'));
  }
  const meta = props.metadata;
  if (!isRecord(meta)) return;
  if (meta.type !== 'object') out.push(invalidValue(`${path}.properties[metadata].type`, meta.type ?? '', 'must be object'));
  if (level !== 'root') return;
  const { type: _t, properties, description: _d, ...rest } = meta;
  const names = isRecord(properties) ? Object.keys(properties) : [];
  if (Object.keys(rest).length || names.some((n) => n !== 'name' && n !== 'generateName')) {
    out.push(forbidden(`${path}.properties[metadata]`, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
}

/** Value validations: patterns compile, bounds are numbers, defaults fit their node. */
function values(s: Schema, path: string, out: FieldError[]): void {
  if (s.pattern !== undefined && (typeof s.pattern !== 'string' || !patternCompiles(s.pattern))) out.push(invalidValue(`${path}.pattern`, s.pattern, 'must be a valid regular expression'));
  for (const key of ['minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const) {
    const v = s[key];
    if (v !== undefined && typeof v !== 'number') out.push(invalidValue(`${path}.${key}`, v, 'must be a number'));
  }
  if (s.required !== undefined && !(Array.isArray(s.required) && s.required.every((r) => typeof r === 'string'))) out.push(invalidValue(`${path}.required`, s.required, 'must be a list of strings'));
  if (s.enum !== undefined && !Array.isArray(s.enum)) out.push(invalidValue(`${path}.enum`, s.enum, 'must be a list'));
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every(isRecord)) out.push(invalidValue(`${path}.${key}`, list, 'must be a list of schemas'));
    else list.forEach((sub, i) => values(sub, `${path}.${key}[${i}]`, out));
  }
  if (s.default !== undefined && s.default !== null) {
    for (const e of validateAgainstSchema(s.default, s, `${path}.default`)) out.push(e);
  }
}
