import type { Schema } from './dsl.ts';
import { resolve } from './registry.ts';

/**
 * Replaces, in place, the nulls Go's decoder turns into zero values: a null list item or map
 * value of a struct becomes `{}`, of a string `""`, of a number `0`, of a bool `false`, of a
 * quantity `"0"`, of an int-or-string `0`. A struct then fails validation as upstream's does
 * (`ports: [null]` is a port 0) instead of reaching code that expects an object, and a null
 * request (`requests: {cpu: null}`) is stored as the zero quantity it means. Nulls of timestamps,
 * bytes, lists and maps stay (Go's zero values of those are null too), as do null struct fields
 * (absent). Values of the wrong JSON type are left alone: findTypeError answers for them.
 */
export function zeroNullItems(schema: Schema, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const s = resolve(schema);
  if (s.preserveUnknownFields) return;
  if (Array.isArray(value)) {
    if (!s.items) return;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null) value[i] = zeroOf(s.items);
      else zeroNullItems(s.items, value[i]);
    }
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    const field = s.properties ? s.properties[k] : s.additionalProperties;
    if (!field) continue;
    if (v === null && !s.properties) obj[k] = zeroOf(field);
    else zeroNullItems(field, v);
  }
}

function zeroOf(schema: Schema): unknown {
  const s = resolve(schema);
  if (s.preserveUnknownFields) return null;
  if (s.scalar === 'quantity') return '0';
  if (s.scalar === 'int-or-string') return 0;
  switch (s.type) {
    case 'string': return s.format === 'date-time' || s.format === 'byte' ? null : '';
    case 'integer':
    case 'number': return 0;
    case 'boolean': return false;
    case 'array': return null;
    default: return s.properties ? {} : null;
  }
}
