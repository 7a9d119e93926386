import type { FieldSpec, ValueType } from '../../../pkg/api/protobuf/schema/spec.ts';
import { protobufSchema } from '../../../pkg/api/protobuf/index.ts';
import { varint } from './writer.ts';

/**
 * Test-only: a JSON object → protobuf bytes through skiff's schema table, as Go's marshaller
 * would write it (every non-pointer scalar, every value struct). Values of the wrong type are
 * coerced when they can be and dropped when not, so mutated objects still encode: the fuzzer
 * uses it to make protobuf bodies from JSON ones.
 */
export function encodeMessage(name: string, obj: unknown): number[] {
  const spec = protobufSchema.get(name);
  if (!spec) throw new Error(`no message ${name}`);
  const o = (obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? obj : {}) as Record<string, unknown>;
  if (spec.wrapper) return fieldBytes(spec.order[0], obj, true);
  return spec.order.flatMap((f) => (f.json === undefined ? lengthDelimited(f.number, encodeMessage(msgName(f.value), o)) : fieldBytes(f, o[f.json], o[f.json] !== undefined)));
}

const msgName = (t: ValueType) => (t.kind === 'message' ? t.name : '');
const tag = (n: number, wt: number) => varint((n << 3) | wt);
const lengthDelimited = (n: number, payload: number[]) => [...tag(n, 2), ...varint(payload.length), ...payload];

function fieldBytes(f: FieldSpec, v: unknown, present: boolean): number[] {
  if (f.map) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => {
      const value = single(2, f.value, x);
      return value ? lengthDelimited(f.number, [...lengthDelimited(1, utf8(k)), ...value]) : [];
    });
  }
  if (f.repeated) return Array.isArray(v) ? v.flatMap((x) => single(f.number, f.value, x) ?? []) : [];
  if (!present && (f.pointer || f.value.kind === 'wellKnown' && f.value.type !== 'time')) return [];
  if (!present && f.value.kind === 'scalar') return single(f.number, f.value, zero(f.value.type)) ?? [];
  return single(f.number, f.value, v) ?? [];
}

const zero = (t: string) => (t === 'string' || t === 'bytes' ? '' : t === 'bool' ? false : 0);
const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];

/** One value with its tag, or undefined when it cannot be coerced to the field's type. */
function single(n: number, t: ValueType, v: unknown): number[] | undefined {
  if (t.kind === 'message') return lengthDelimited(n, encodeMessage(t.name, v));
  if (t.kind === 'wellKnown') return wellKnown(n, t.type, v);
  switch (t.type) {
    case 'string': return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? lengthDelimited(n, utf8(String(v))) : undefined;
    case 'bytes': return typeof v === 'string' ? lengthDelimited(n, [...Buffer.from(v, 'base64')]) : undefined;
    case 'bool': return typeof v === 'boolean' || typeof v === 'number' ? [...tag(n, 0), v ? 1 : 0] : undefined;
    case 'double':
    case 'float': {
      if (typeof v !== 'number') return undefined;
      const b = Buffer.alloc(t.type === 'double' ? 8 : 4);
      if (t.type === 'double') b.writeDoubleLE(v); else b.writeFloatLE(v);
      return [...tag(n, t.type === 'double' ? 1 : 5), ...b];
    }
    default: {
      const x = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : typeof v === 'boolean' ? Number(v) : NaN;
      if (!Number.isFinite(x)) return undefined;
      return [...tag(n, 0), ...varint(BigInt(Math.trunc(x)))];
    }
  }
}

function wellKnown(n: number, type: string, v: unknown): number[] | undefined {
  const sub = (fields: number[]) => lengthDelimited(n, fields);
  switch (type) {
    case 'time':
    case 'microtime': {
      if (v === null || v === undefined) return sub([]);
      const ms = typeof v === 'string' ? Date.parse(v) : NaN;
      if (Number.isNaN(ms)) return undefined;
      const seconds = Math.floor(ms / 1000);
      return sub([...tag(1, 0), ...varint(BigInt(seconds)), ...tag(2, 0), ...varint(BigInt((ms % 1000) * 1_000_000))]);
    }
    case 'quantity':
      return typeof v === 'string' || typeof v === 'number' ? sub(lengthDelimited(1, utf8(String(v)))) : undefined;
    case 'intstr':
      if (typeof v === 'number') return sub([...tag(1, 0), 0, ...tag(2, 0), ...varint(BigInt(Math.trunc(v)))]);
      if (typeof v === 'string') return sub([...tag(1, 0), 1, ...tag(2, 0), 0, ...lengthDelimited(3, utf8(v))]);
      return undefined;
    case 'duration':
      return undefined;
    default:
      return v === undefined ? undefined : sub(lengthDelimited(1, utf8(JSON.stringify(v))));
  }
}

