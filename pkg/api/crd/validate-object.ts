import type { FieldError } from '../status.ts';
import { goValue } from '../validation/index.ts';
import { formatValid } from './formats.ts';
import { child, isRecord, jsonType, type Schema } from './schema.ts';

/**
 * A custom resource against its version's openAPIV3Schema, as apiextensions' ValidateCustomResource
 * (go-openapi's validators, errors converted to field errors): every problem at once, each on its
 * go-openapi path (`spec.items.0.name`) and worded as upstream, e.g.
 * `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`.
 * Validators apply by the value's JSON kind, so a wrong type does not also fail string rules.
 */
export function validateAgainstSchema(value: unknown, schema: Schema, path = ''): FieldError[] {
  const out: FieldError[] = [];
  walk(value, schema, path, out);
  return out;
}

const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, message: `Invalid value: ${goValue(value)}: ${detail}` });
const inBody = (path: string) => `${path} in body`;

function walk(v: unknown, s: Schema, path: string, out: FieldError[]): void {
  if (!isRecord(s)) return;
  if (v === null || v === undefined) {
    if (typeOf(s) && !s.nullable) out.push(typeError(path, s, 'null'));
    if (Array.isArray(s.enum) && s.enum.length && !s.nullable && !s.enum.includes(null)) out.push(enumError(path, v, s.enum));
    return;
  }
  const t = jsonType(v);
  const wanted = typeOf(s);
  if (wanted && !typeMatches(wanted, t)) out.push(typeError(path, s, t));
  if (typeof s.format === 'string' && typeof v === 'string' && !formatValid(s.format, v) && (!wanted || wanted.includes('string'))) {
    out.push(invalid(path, v, `${inBody(path)} must be of type ${s.format}: ${JSON.stringify(v)}`));
  }
  if (typeof v === 'string') strings(v, s, path, out);
  if (typeof v === 'number') numbers(v, s, path, out);
  if (Array.isArray(v)) arrays(v, s, path, out);
  if (isRecord(v)) objects(v, s, path, out);
  if (Array.isArray(s.enum) && s.enum.length && !s.enum.some((e) => deepEqual(e, v))) out.push(enumError(path, v, s.enum));
  combinators(v, s, path, out);
}

/** The types a node accepts: its `type`, or integer and string for x-kubernetes-int-or-string. */
function typeOf(s: Schema): string[] | undefined {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return typeof s.type === 'string' && s.type ? [s.type] : undefined;
}

// go-openapi accepts a whole number for "number" and an integral float for "integer".
const typeMatches = (wanted: string[], actual: string) => wanted.includes(actual) || (actual === 'integer' && wanted.includes('number'));

const typeError = (path: string, s: Schema, actual: string) =>
  invalid(path, actual, `${inBody(path)} must be of type ${typeOf(s)!.join(',')}: ${JSON.stringify(actual)}`);

function enumError(path: string, v: unknown, allowed: unknown[]): FieldError {
  const values = allowed.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
  return { type: 'FieldValueNotSupported', field: path, message: `Unsupported value: ${goValue(v)}: supported values: ${values.map((a) => JSON.stringify(a)).join(', ')}` };
}

function strings(v: string, s: Schema, path: string, out: FieldError[]): void {
  const length = [...v].length;
  if (typeof s.maxLength === 'number' && length > s.maxLength) {
    out.push({ type: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${s.maxLength} ${s.maxLength === 1 ? 'byte' : 'bytes'}` });
  }
  if (typeof s.minLength === 'number' && length < s.minLength) out.push(invalid(path, v, `${inBody(path)} should be at least ${s.minLength} chars long`));
  if (typeof s.pattern === 'string' && !patternOf(s.pattern)?.test(v)) out.push(invalid(path, v, `${inBody(path)} should match '${s.pattern}'`));
}

const patterns = new Map<string, RegExp | undefined>();

/** ECMA regexes, compiled once; the CRD validation refused patterns that do not compile. */
function patternOf(p: string): RegExp | undefined {
  if (!patterns.has(p)) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(p);
    } catch {
      re = undefined;
    }
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(p, re);
  }
  return patterns.get(p);
}

export const patternCompiles = (p: string) => patternOf(p) !== undefined;

function numbers(v: number, s: Schema, path: string, out: FieldError[]): void {
  if (typeof s.maximum === 'number') {
    if (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum) {
      out.push(invalid(path, v, `${inBody(path)} should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`));
    }
  }
  if (typeof s.minimum === 'number') {
    if (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum) {
      out.push(invalid(path, v, `${inBody(path)} should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`));
    }
  }
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) {
    out.push(invalid(path, v, `${inBody(path)} should be a multiple of ${s.multipleOf}`));
  }
}

function arrays(v: unknown[], s: Schema, path: string, out: FieldError[]): void {
  if (typeof s.maxItems === 'number' && v.length > s.maxItems) {
    out.push({ type: 'FieldValueTooMany', field: path, message: `Too many: ${v.length}: must have at most ${s.maxItems} ${s.maxItems === 1 ? 'item' : 'items'}` });
  }
  if (typeof s.minItems === 'number' && v.length < s.minItems) out.push(invalid(path, v.length, `${inBody(path)} should have at least ${s.minItems} items`));
  if (isRecord(s.items)) v.forEach((item, i) => walk(item, s.items!, child(path, i), out));
  listDuplicates(v, s, path, out);
}

/** x-kubernetes-list-type set/map: no repeated item or key (structurallisttype; bracketed paths). */
function listDuplicates(v: unknown[], s: Schema, path: string, out: FieldError[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return;
  const keys = listType === 'map' && Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'] : [];
  const seen = new Set<string>();
  v.forEach((item, i) => {
    const key = listType === 'set' ? JSON.stringify(item) : JSON.stringify(keys.map((k) => (isRecord(item) ? item[k] ?? null : null)));
    if (seen.has(key)) {
      const shown = listType === 'set' ? goValue(item) : `map[${keys.map((k) => `${k}:${isRecord(item) ? String(item[k]) : ''}`).join(' ')}]`;
      out.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, message: `Duplicate value: ${shown}` });
    }
    seen.add(key);
  });
}

function objects(v: Record<string, unknown>, s: Schema, path: string, out: FieldError[]): void {
  if (Array.isArray(s.required)) {
    for (const key of s.required) if (typeof key === 'string' && !Object.hasOwn(v, key)) out.push({ type: 'FieldValueRequired', field: child(path, key), message: 'Required value' });
  }
  const count = Object.keys(v).length;
  if (typeof s.maxProperties === 'number' && count > s.maxProperties) {
    out.push({ type: 'FieldValueTooMany', field: path, message: `Too many: ${count}: must have at most ${s.maxProperties} ${s.maxProperties === 1 ? 'item' : 'items'}` });
  }
  if (typeof s.minProperties === 'number' && count < s.minProperties) out.push(invalid(path, count, `${inBody(path)} should have at least ${s.minProperties} properties`));
  const props = isRecord(s.properties) ? s.properties : {};
  for (const [key, value] of Object.entries(v)) {
    const sub = isRecord(props[key]) ? props[key] : isRecord(s.additionalProperties) ? s.additionalProperties : undefined;
    if (sub) walk(value, sub, child(path, key), out);
  }
  if (s['x-kubernetes-embedded-resource']) embedded(v, path, out);
}

/** An embedded resource needs apiVersion and kind (schemaobjectmeta.Validate; field.Path naming). */
function embedded(v: Record<string, unknown>, path: string, out: FieldError[]): void {
  for (const key of ['apiVersion', 'kind']) {
    if (typeof v[key] !== 'string' || v[key] === '') out.push({ type: 'FieldValueRequired', field: child(path, key), message: 'Required value: must not be empty' });
  }
}

function combinators(v: unknown, s: Schema, path: string, out: FieldError[]): void {
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) walk(v, sub, path, out);
  const passes = (sub: Schema) => validateAgainstSchema(v, sub, path).length === 0;
  if (Array.isArray(s.anyOf) && s.anyOf.length && !s.anyOf.some(passes)) out.push(invalid(path, v, `${inBody(path)} must validate at least one schema (anyOf)`));
  if (Array.isArray(s.oneOf) && s.oneOf.length && s.oneOf.filter(passes).length !== 1) out.push(invalid(path, v, `${inBody(path)} must validate one and only one schema (oneOf)`));
  if (isRecord(s.not) && passes(s.not)) out.push(invalid(path, v, `${inBody(path)} must not validate the schema (not)`));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
