import type { FieldSpec, MessageSpec, ValueType } from './schema/spec.ts';
import { decodeWellKnown, utf8 } from './well-known.ts';
import { ProtobufError, Reader, toInt32, toInt64, WireType } from './wire.ts';

export type Schema = Map<string, MessageSpec>;

// Kubernetes messages nest about 12 deep (CronJob → … → a probe's port); these bound hostile
// input: a 3 MiB body of empty Containers would otherwise materialise millions of objects.
const MAX_DEPTH = 64;
const MAX_MESSAGES = 200_000;

interface Budget { left: number }

/**
 * A message's bytes as the JSON object Go would produce: unmarshal into the Go struct, then
 * encoding/json. So unknown fields are skipped, a repeated singular field's last value wins (an
 * embedded message's occurrences merge, as protobuf specifies), non-pointer scalars at zero are
 * left out unless the Go field lacks omitempty, pointers keep presence, value structs are always
 * written, and empty lists and maps are left out. Malformed input throws ProtobufError.
 */
export function decodeMessage(schema: Schema, name: string, payload: Uint8Array): unknown {
  return message(schema, name, payload, 0, { left: MAX_MESSAGES });
}

function message(schema: Schema, name: string, payload: Uint8Array, depth: number, budget: Budget): unknown {
  const spec = schema.get(name);
  if (!spec) throw new ProtobufError(`no schema for message ${name}`);
  if (depth > MAX_DEPTH) throw new ProtobufError('messages nest too deeply');
  if (--budget.left < 0) throw new ProtobufError(`the object holds more than ${MAX_MESSAGES} messages`);
  const seen = collect(spec, payload);
  if (spec.wrapper) return valueOf(schema, spec.order[0], seen.get(spec.order[0].number), depth, budget) ?? [];
  const out: Record<string, unknown> = {};
  for (const f of spec.order) {
    const v = valueOf(schema, f, seen.get(f.number), depth, budget);
    if (v === undefined) continue;
    if (f.json === undefined) Object.assign(out, v);
    else out[f.json] = v;
  }
  return out;
}

/** The payloads of each known field, in wire order; unknown fields are skipped after a bounds check. */
function collect(spec: MessageSpec, payload: Uint8Array): Map<number, (bigint | Uint8Array | DataView)[]> {
  const r = new Reader(payload);
  const seen = new Map<number, (bigint | Uint8Array | DataView)[]>();
  while (!r.done()) {
    const { field, wireType } = r.tag();
    const f = spec.fields.get(field);
    if (!f) { r.skip(wireType); continue; }
    const list = seen.get(field) ?? [];
    seen.set(field, list);
    const expected = wireTypeOf(f);
    if (wireType === expected) list.push(read(r, wireType));
    else if (f.repeated && wireType === WireType.bytes && expected !== WireType.bytes) {
      // Packed repeated scalars: one run holding several values.
      const run = new Reader(r.bytes());
      while (!run.done()) list.push(read(run, expected));
    } else {
      throw new ProtobufError(`field ${fieldName(spec, f)} has wire type ${wireType}, which does not match its type`);
    }
  }
  return seen;
}

function read(r: Reader, wireType: number): bigint | Uint8Array | DataView {
  if (wireType === WireType.varint) return r.varint();
  if (wireType === WireType.bytes) return r.bytes();
  return r.fixed(wireType === WireType.fixed64 ? 8 : 4);
}

function wireTypeOf(f: FieldSpec): number {
  if (f.map || f.value.kind !== 'scalar') return WireType.bytes;
  switch (f.value.type) {
    case 'string':
    case 'bytes':
      return WireType.bytes;
    case 'double':
      return WireType.fixed64;
    case 'float':
      return WireType.fixed32;
    default:
      return WireType.varint;
  }
}

const fieldName = (spec: MessageSpec, f: FieldSpec) => `${spec.name}.${f.json ?? `#${f.number}`}`;

/** The JSON value of one field from its occurrences; undefined means "leave the key out". */
function valueOf(schema: Schema, f: FieldSpec, raw: (bigint | Uint8Array | DataView)[] | undefined, depth: number, budget: Budget): unknown {
  if (f.map) {
    if (!raw?.length) return undefined;
    const out: Record<string, unknown> = {};
    for (const entry of raw) {
      const [k, v] = mapEntry(schema, f.value, entry as Uint8Array, depth, budget);
      out[k] = v;
    }
    return out;
  }
  if (f.repeated) {
    if (!raw?.length) return undefined;
    return raw.map((x) => single(schema, f.value, x, depth, budget));
  }
  if (f.value.kind !== 'scalar') {
    if (!raw?.length) return f.pointer ? undefined : single(schema, f.value, new Uint8Array(0), depth, budget);
    // Occurrences of a singular message merge: decoding their concatenation does exactly that.
    return single(schema, f.value, raw.length === 1 ? raw[0] : concat(raw as Uint8Array[]), depth, budget);
  }
  if (!raw?.length) return f.always && !f.pointer ? zeroOf(f.value) : undefined;
  const v = single(schema, f.value, raw[raw.length - 1], depth, budget);
  if (f.pointer || f.always) return v;
  return isZero(v) ? undefined : v;
}

function single(schema: Schema, t: ValueType, x: bigint | Uint8Array | DataView, depth: number, budget: Budget): unknown {
  if (t.kind === 'message') return message(schema, t.name, x as Uint8Array, depth + 1, budget);
  if (t.kind === 'wellKnown') return decodeWellKnown(t.type, x as Uint8Array);
  switch (t.type) {
    case 'string': return utf8(x as Uint8Array);
    case 'bytes': return Buffer.from((x as Uint8Array).buffer, (x as Uint8Array).byteOffset, (x as Uint8Array).byteLength).toString('base64');
    case 'bool': return (x as bigint) !== 0n;
    case 'int32': return toInt32(x as bigint);
    case 'int64': return toInt64(x as bigint);
    case 'double': return finite((x as DataView).getFloat64(0, true));
    case 'float': return finite((x as DataView).getFloat32(0, true));
  }
}

// encoding/json refuses NaN and ±Inf.
function finite(n: number): number {
  if (!Number.isFinite(n)) throw new ProtobufError(`unsupported value: ${n}`);
  return n;
}

function mapEntry(schema: Schema, value: ValueType, payload: Uint8Array, depth: number, budget: Budget): [string, unknown] {
  const r = new Reader(payload);
  let key = '';
  let val: bigint | Uint8Array | DataView | undefined;
  const valueWire = value.kind === 'scalar' ? wireTypeOf({ map: false, value } as FieldSpec) : WireType.bytes;
  while (!r.done()) {
    const { field, wireType } = r.tag();
    if (field === 1 && wireType === WireType.bytes) key = utf8(r.bytes());
    else if (field === 2 && wireType === valueWire) val = read(r, wireType);
    else if (field === 1 || field === 2) throw new ProtobufError(`a map entry's field ${field} has wire type ${wireType}, which does not match its type`);
    else r.skip(wireType);
  }
  if (val === undefined) return [key, value.kind === 'scalar' ? zeroOf(value) : single(schema, value, new Uint8Array(0), depth, budget)];
  return [key, single(schema, value, val, depth, budget)];
}

function zeroOf(t: ValueType & { kind: 'scalar' }): unknown {
  switch (t.type) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    default:
      return 0;
  }
}

const isZero = (v: unknown) => v === '' || v === 0 || v === false;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
