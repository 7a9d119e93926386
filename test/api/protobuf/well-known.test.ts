import { describe, expect, it } from 'vitest';
import { decodeWellKnown, goDuration } from '../../../pkg/api/protobuf/well-known.ts';
import { f, msg } from './writer.ts';

describe('decodeWellKnown', () => {
  it('reads Time as whole-second RFC 3339 in UTC, and an empty payload as null', () => {
    expect(decodeWellKnown('time', msg(f.varint(1, 1700000000), f.varint(2, 999)))).toBe('2023-11-14T22:13:20Z');
    expect(decodeWellKnown('time', msg())).toBeNull();
    // seconds=0 written out is the epoch, not the zero time: Go tells them apart by the empty payload.
    expect(decodeWellKnown('time', msg(f.varint(1, 0)))).toBe('1970-01-01T00:00:00Z');
    expect(decodeWellKnown('time', msg(f.varint(1, -1)))).toBe('1969-12-31T23:59:59Z');
    expect(() => decodeWellKnown('time', msg(f.varint(1, 2n ** 62n)))).toThrow(/years 0 to 9999/);
  });

  it('reads MicroTime with six fractional digits', () => {
    expect(decodeWellKnown('microtime', msg(f.varint(1, 1700000000), f.varint(2, 123456789)))).toBe('2023-11-14T22:13:20.123456Z');
    expect(decodeWellKnown('microtime', msg(f.varint(1, 1700000000)))).toBe('2023-11-14T22:13:20.000000Z');
  });

  it('reads IntOrString by its type, and refuses a type Go cannot print', () => {
    expect(decodeWellKnown('intstr', msg(f.varint(1, 0), f.varint(2, 8080), f.bytes(3, '')))).toBe(8080);
    expect(decodeWellKnown('intstr', msg(f.varint(1, 1), f.varint(2, 0), f.bytes(3, 'http')))).toBe('http');
    expect(decodeWellKnown('intstr', msg(f.varint(1, 0), f.varint(2, -1)))).toBe(-1);
    expect(decodeWellKnown('intstr', msg())).toBe(0);
    expect(() => decodeWellKnown('intstr', msg(f.varint(1, 2)))).toThrow(/impossible IntOrString/);
  });

  it('reads Quantity as its string, zero as "0", and refuses what is not a quantity', () => {
    expect(decodeWellKnown('quantity', msg(f.bytes(1, '500m')))).toBe('500m');
    expect(decodeWellKnown('quantity', msg())).toBe('0');
    expect(() => decodeWellKnown('quantity', msg(f.bytes(1, 'lots')))).toThrow(/quantities must match/);
  });

  it('reads Duration as Go prints it', () => {
    expect(decodeWellKnown('duration', msg(f.varint(1, 3_600_000_000_000)))).toBe('1h0m0s');
    expect(goDuration(0n)).toBe('0s');
    expect(goDuration(1_500_000_000n)).toBe('1.5s');
    expect(goDuration(90_000_000_000n)).toBe('1m30s');
    expect(goDuration(300_000_000n)).toBe('300ms');
    expect(goDuration(1_500n)).toBe('1.5µs');
    expect(goDuration(42n)).toBe('42ns');
    expect(goDuration(-2_000_000_000n)).toBe('-2s');
  });

  it('reads FieldsV1 and RawExtension as the JSON they carry, refusing anything else', () => {
    expect(decodeWellKnown('fieldsv1', msg(f.bytes(1, '{"f:data":{}}')))).toEqual({ 'f:data': {} });
    expect(decodeWellKnown('rawext', msg(f.bytes(1, '{"a":1}')))).toEqual({ a: 1 });
    expect(decodeWellKnown('rawext', msg())).toBeNull();
    expect(() => decodeWellKnown('rawext', msg(f.bytes(1, [0x6b, 0x38, 0x73, 0x00])))).toThrow(/not JSON/);
  });

  it('refuses a known field with the wrong wire type', () => {
    expect(() => decodeWellKnown('quantity', msg(f.varint(1, 5)))).toThrow(/wire type 0/);
  });
});
