import { describe, expect, it } from 'vitest';
import { ProtobufError, Reader } from '../../../pkg/api/protobuf/wire.ts';

const reader = (...bytes: number[]) => new Reader(Uint8Array.from(bytes));

describe('Reader', () => {
  it('reads varints of one to ten bytes', () => {
    expect(reader(0x00).varint()).toBe(0n);
    expect(reader(0x96, 0x01).varint()).toBe(150n);
    expect(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).varint()).toBe(2n ** 64n - 1n);
  });

  it('refuses a varint that is cut short or longer than 64 bits', () => {
    expect(() => reader(0x80).varint()).toThrow(ProtobufError);
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02).varint()).toThrow(/overflows/);
    expect(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01).varint()).toThrow(/overflows/);
  });

  it('splits a tag into field number and wire type; field 0 is illegal', () => {
    expect(reader(0x0a).tag()).toEqual({ field: 1, wireType: 2 });
    expect(reader(0x88, 0x01).tag()).toEqual({ field: 17, wireType: 0 });
    expect(() => reader(0x02).tag()).toThrow(/illegal field number 0/);
  });

  it('reads a length-delimited payload as a view and refuses one that runs past the end', () => {
    const r = reader(0x03, 0x61, 0x62, 0x63, 0x07);
    expect([...r.bytes()]).toEqual([0x61, 0x62, 0x63]);
    expect(r.pos).toBe(4);
    expect(() => reader(0x05, 0x61).bytes()).toThrow(/runs past/);
    // A length near 2^64 must not wrap around.
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).bytes()).toThrow(/runs past/);
  });

  it('skips every wire type but groups, and checks bounds while skipping', () => {
    const r = reader(0x96, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x02, 0xaa, 0xbb, 9, 9, 9, 9);
    r.skip(0);
    r.skip(1);
    r.skip(2);
    r.skip(5);
    expect(r.done()).toBe(true);
    expect(() => reader(1, 2, 3).skip(1)).toThrow(/fixed64/);
    expect(() => reader(1, 2).skip(5)).toThrow(/fixed32/);
    expect(() => reader().skip(3)).toThrow(/wire type 3/);
    expect(() => reader().skip(7)).toThrow(/wire type 7/);
  });
});
