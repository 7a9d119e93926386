import { isQuantity } from '../quantity.ts';
import { ProtobufError, Reader, toInt32, toInt64, WireType } from './wire.ts';
import type { WellKnownType } from './schema/spec.ts';

/**
 * apimachinery's types that carry their own JSON form, from their protobuf payload. Each mirrors
 * the Go type's Unmarshal followed by its MarshalJSON; what Go would refuse throws ProtobufError.
 */
export function decodeWellKnown(type: WellKnownType, payload: Uint8Array): unknown {
  switch (type) {
    case 'time': {
      // An empty payload is Go's zero Time (JSON null); otherwise whole seconds, as metav1.Time
      // drops nanoseconds on decode.
      if (payload.length === 0) return null;
      const { seconds } = timestamp(payload);
      return rfc3339(seconds, 0n, false);
    }
    case 'microtime': {
      if (payload.length === 0) return null;
      const { seconds, nanos } = timestamp(payload);
      return rfc3339(seconds, nanos, true);
    }
    case 'duration':
      return goDuration(BigInt.asIntN(64, scalarFields(payload, { 1: 'varint' })[1] as bigint ?? 0n));
    case 'quantity': {
      const s = utf8(scalarFields(payload, { 1: 'bytes' })[1] as Uint8Array | undefined);
      if (s === '') return '0';
      if (!isQuantity(s)) throw new ProtobufError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got "${s}")`);
      return s;
    }
    case 'intstr': {
      const f = scalarFields(payload, { 1: 'varint', 2: 'varint', 3: 'bytes' });
      const kind = f[1] === undefined ? 0 : toInt64(f[1] as bigint);
      if (kind === 0) return f[2] === undefined ? 0 : toInt32(f[2] as bigint);
      if (kind === 1) return utf8(f[3] as Uint8Array | undefined);
      throw new ProtobufError(`impossible IntOrString type ${kind}`);
    }
    case 'fieldsv1':
    case 'rawext': {
      const raw = scalarFields(payload, { 1: 'bytes' })[1] as Uint8Array | undefined;
      if (!raw || raw.length === 0) return type === 'rawext' ? null : {};
      try {
        return JSON.parse(utf8(raw));
      } catch {
        throw new ProtobufError(`${type === 'rawext' ? 'an embedded object' : 'fieldsV1'} is not JSON`);
      }
    }
  }
}

const decoder = new TextDecoder('utf-8');
export const utf8 = (b: Uint8Array | undefined): string => (b ? decoder.decode(b) : '');

/** The listed fields of a small message (last occurrence wins); other fields are skipped. */
function scalarFields(payload: Uint8Array, want: Record<number, 'varint' | 'bytes'>): Record<number, bigint | Uint8Array> {
  const r = new Reader(payload);
  const out: Record<number, bigint | Uint8Array> = {};
  while (!r.done()) {
    const { field, wireType } = r.tag();
    const kind = want[field];
    if (kind === 'varint' && wireType === WireType.varint) out[field] = r.varint();
    else if (kind === 'bytes' && wireType === WireType.bytes) out[field] = r.bytes();
    else if (kind) throw new ProtobufError(`field ${field} has wire type ${wireType}, which does not match its type`);
    else r.skip(wireType);
  }
  return out;
}

function timestamp(payload: Uint8Array): { seconds: bigint; nanos: bigint } {
  const f = scalarFields(payload, { 1: 'varint', 2: 'varint' });
  return { seconds: BigInt.asIntN(64, (f[1] as bigint | undefined) ?? 0n), nanos: BigInt.asIntN(32, (f[2] as bigint | undefined) ?? 0n) };
}

/** UTC RFC 3339 like Go's time.RFC3339 (seconds) or metav1's RFC3339Micro layout. */
function rfc3339(seconds: bigint, nanos: bigint, micro: boolean): string {
  const total = seconds * 1_000_000_000n + nanos;
  let s = total / 1_000_000_000n;
  let ns = total % 1_000_000_000n;
  if (ns < 0n) { ns += 1_000_000_000n; s -= 1n; }
  // Beyond years 0–9999 Go prints forms no client parses back; refuse instead.
  if (s < -62167219200n || s > 253402300799n) throw new ProtobufError(`time ${seconds}s is outside the years 0 to 9999`);
  const iso = new Date(Number(s) * 1000).toISOString().replace(/^\+?0*(\d{4})/, '$1');
  const base = iso.slice(0, 19);
  return micro ? `${base}.${(ns / 1000n).toString().padStart(6, '0')}Z` : `${base}Z`;
}

/** Go's time.Duration.String(): "1h0m0s", "1.5s", "300ms", "0s". */
export function goDuration(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  const u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u < 1_000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${fraction(u, 3)}µs`;
    else out = `${fraction(u, 6)}ms`;
  } else {
    const secs = fraction(u % 60_000_000_000n, 9);
    const mins = (u / 60_000_000_000n) % 60n;
    const hours = u / 3_600_000_000_000n;
    out = hours > 0n ? `${hours}h${mins}m${secs}s` : mins > 0n ? `${mins}m${secs}s` : `${secs}s`;
  }
  return neg ? `-${out}` : out;
}

/** v / 10^digits with the fraction's trailing zeros (and a bare point) dropped. */
function fraction(v: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const frac = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac ? `${v / scale}.${frac}` : `${v / scale}`;
}
