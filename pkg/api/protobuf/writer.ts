/**
 * The protobuf wire format, write side: a growable buffer of tags and payloads. Nested messages
 * are written into a child writer and then copied in behind their length, so a caller never
 * needs to know a message's size in advance. Proto3 default values (empty strings, false, 0)
 * are the caller's to skip; the writer writes what it is given.
 */
import { WireType } from './wire.ts';

const utf8 = new TextEncoder();

export class Writer {
  private buf = new Uint8Array(256);
  private pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** An unsigned varint; negative numbers are written as 64-bit two's complement (10 bytes). */
  varint(v: number | bigint): this {
    let x = typeof v === 'bigint' || v < 0 || v > Number.MAX_SAFE_INTEGER ? BigInt.asUintN(64, BigInt(v)) : v;
    this.room(10);
    if (typeof x === 'number') {
      while (x >= 0x80) {
        this.buf[this.pos++] = (x % 0x80) | 0x80;
        x = Math.floor(x / 0x80);
      }
      this.buf[this.pos++] = x;
      return this;
    }
    while (x >= 0x80n) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  bytes(field: number, payload: Uint8Array): this {
    this.tag(field, WireType.bytes).varint(payload.length);
    this.room(payload.length);
    this.buf.set(payload, this.pos);
    this.pos += payload.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  bool(field: number, b: boolean): this {
    return this.tag(field, WireType.varint).varint(b ? 1 : 0);
  }

  /** int64/uint64/int32 fields (varint); the value is truncated to an integer. */
  int(field: number, n: number): this {
    return this.tag(field, WireType.varint).varint(Math.trunc(n));
  }

  double(field: number, x: number): this {
    this.tag(field, WireType.fixed64);
    this.room(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, x, true);
    this.pos += 8;
    return this;
  }

  /** A nested message: `write` fills a fresh writer whose bytes become this field's payload. */
  message(field: number, write: (w: Writer) => void): this {
    const child = new Writer();
    write(child);
    return this.bytes(field, child.finish());
  }

  /** The bytes written so far (a view; the writer should not be used afterwards). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
