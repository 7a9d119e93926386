import { describe, expect, it } from 'vitest';
import { Writer } from '../../../pkg/api/protobuf/writer.ts';
import { Reader, toInt64, WireType } from '../../../pkg/api/protobuf/wire.ts';

describe('protobuf Writer', () => {
  it('writes varints that the Reader reads back, at every length boundary and for negatives', () => {
    const values = [0, 1, 127, 128, 16383, 16384, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, -(2 ** 40)];
    const w = new Writer();
    values.forEach((v, i) => w.int(i + 1, v));
    const r = new Reader(w.finish());
    for (const [i, v] of values.entries()) {
      expect(r.tag()).toEqual({ field: i + 1, wireType: WireType.varint });
      expect(toInt64(r.varint())).toBe(v);
    }
    expect(r.done()).toBe(true);
    expect([...new Writer().int(1, -1).finish()]).toHaveLength(11);
  });

  it('writes strings, bools, doubles and nested messages of any size', () => {
    const long = 'é'.repeat(70_000);
    const w = new Writer().string(1, 'héllo').bool(2, true).bool(3, false).double(4, -2.5).message(5, (m) => m.string(1, long).message(2, () => {}));
    const r = new Reader(w.finish());
    expect(r.tag()).toEqual({ field: 1, wireType: WireType.bytes });
    expect(Buffer.from(r.bytes()).toString('utf8')).toBe('héllo');
    r.tag();
    expect(r.varint()).toBe(1n);
    r.tag();
    expect(r.varint()).toBe(0n);
    expect(r.tag()).toEqual({ field: 4, wireType: WireType.fixed64 });
    expect(r.fixed(8).getFloat64(0, true)).toBe(-2.5);
    expect(r.tag()).toEqual({ field: 5, wireType: WireType.bytes });
    const inner = new Reader(r.bytes());
    inner.tag();
    expect(Buffer.from(inner.bytes()).toString('utf8')).toBe(long);
    expect(inner.tag()).toEqual({ field: 2, wireType: WireType.bytes });
    expect(inner.bytes()).toHaveLength(0);
    expect(inner.done() && r.done()).toBe(true);
  });
});
