import type { Schema } from './dsl.ts';
import { resolve } from './registry.ts';

/**
 * The first value of `value` whose JSON type the schema's Go type cannot take, worded as
 * encoding/json words it when apiserver decodes a body into the typed struct:
 * `json: cannot unmarshal object into Go struct field Container.spec.containers.ports of type []v1.ContainerPort`.
 * null is never an error (Go leaves the zero value); integers must be whole and in range.
 * Undefined when every value fits.
 */
export function findTypeError(schema: Schema, value: unknown, rootStruct: string): string | undefined {
  return walk(schema, value, { struct: rootStruct, path: '' });
}

interface Where {
  /** The Go struct the current field belongs to, and the field's JSON path without list indices. */
  struct: string;
  path: string;
}

function walk(field: Schema, value: unknown, at: Where): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = resolve(field);
  if (s.preserveUnknownFields) return undefined;
  if (s.scalar === 'quantity') {
    return typeof value === 'string' || typeof value === 'number' ? undefined : "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  }
  if (s.scalar === 'int-or-string') {
    if (typeof value === 'string' || (typeof value === 'number' && fitsInt(value, 32))) return undefined;
    return `json: cannot unmarshal ${jsonType(value, true)} into Go value of type int32`;
  }
  const mismatch = () => `json: cannot unmarshal ${jsonType(value, s.type === 'integer')} into Go struct field ${at.struct}.${at.path} of type ${goType(field)}`;
  switch (s.type) {
    case 'string':
      return typeof value === 'string' ? undefined : field.ref ? `json: cannot unmarshal ${jsonType(value)} into Go value of type string` : mismatch();
    case 'boolean':
      return typeof value === 'boolean' ? undefined : mismatch();
    case 'number':
      return typeof value === 'number' ? undefined : mismatch();
    case 'integer':
      return typeof value === 'number' && fitsInt(value, s.format === 'int32' ? 32 : 64) ? undefined : mismatch();
    case 'array':
      if (!Array.isArray(value)) return mismatch();
      for (const item of value) {
        const err = s.items && walk(s.items, item, at);
        if (err) return err;
      }
      return undefined;
    default: {
      if (typeof value !== 'object' || Array.isArray(value)) return s.properties || s.additionalProperties ? mismatch() : undefined;
      const struct = field.ref ? typeName(field.ref) : at.struct;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const child = s.properties ? s.properties[k] : s.additionalProperties;
        const err = child && walk(child, v, { struct: s.properties ? struct : at.struct, path: at.path ? `${at.path}.${k}` : k });
        if (err) return err;
      }
      return undefined;
    }
  }
}

function fitsInt(n: number, bits: 32 | 64): boolean {
  if (!Number.isInteger(n)) return false;
  return bits === 32 ? n >= -(2 ** 31) && n < 2 ** 31 : n >= -(2 ** 63) && n < 2 ** 63;
}

/** encoding/json's name for the JSON value; a number carries its text when it is an integer that does not fit. */
function jsonType(v: unknown, intoInteger = false): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return intoInteger ? `number ${v}` : 'number';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : 'string';
}

const typeName = (id: string) => id.split('.').pop()!;
/** 'core.v1.ContainerPort' → 'v1.ContainerPort', 'resource.Quantity' stays. */
const goName = (id: string) => id.split('.').slice(-2).join('.');

function goType(field: Schema): string {
  if (field.ref) return goName(field.ref);
  switch (field.type) {
    case 'string': return field.format === 'byte' ? '[]uint8' : 'string';
    case 'boolean': return 'bool';
    case 'number': return 'float64';
    case 'integer': return field.format === 'int32' ? 'int32' : 'int64';
    case 'array': return `[]${field.items ? goType(field.items) : 'interface {}'}`;
    default: return field.additionalProperties ? `map[string]${goType(field.additionalProperties)}` : 'struct';
  }
}
