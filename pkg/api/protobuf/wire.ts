/**
 * The protobuf wire format, read-only: tags, varints, length-delimited runs, fixed 32/64-bit
 * values. Every read is bounds-checked; malformed input throws ProtobufError, never anything else.
 */

export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

export const WireType = { varint: 0, fixed64: 1, bytes: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

export interface Tag {
  field: number;
  wireType: number;
}

export class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly end = buf.length) {}

  done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint of up to 10 bytes as an unsigned 64-bit value. */
  varint(): bigint {
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('unexpected end of data inside a varint');
      const b = this.buf[this.pos++];
      if (i === 9 && b > 1) throw new ProtobufError('varint overflows 64 bits');
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return result;
    }
    throw new ProtobufError('varint overflows 64 bits');
  }

  tag(): Tag {
    const v = this.varint();
    const field = Number(v >> 3n);
    const wireType = Number(v & 7n);
    if (field < 1 || field > 0x1fffffff) throw new ProtobufError(`illegal field number ${field}`);
    return { field, wireType };
  }

  /** The payload of a length-delimited field, as a view (no copy). */
  bytes(): Uint8Array {
    const len = this.varint();
    if (len > BigInt(this.end - this.pos)) throw new ProtobufError('unexpected end of data: a length-delimited field runs past its message');
    const n = Number(len);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  fixed(size: 4 | 8): DataView {
    if (this.end - this.pos < size) throw new ProtobufError(`unexpected end of data inside a fixed${size * 8} value`);
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, size);
    this.pos += size;
    return view;
  }

  /** Skips one field's payload; groups (deprecated, never used by Kubernetes) are refused. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint: this.varint(); return;
      case WireType.fixed64: this.fixed(8); return;
      case WireType.bytes: this.bytes(); return;
      case WireType.fixed32: this.fixed(4); return;
      default: throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }
}

export const toInt32 = (v: bigint): number => Number(BigInt.asIntN(32, v));
export const toInt64 = (v: bigint): number => Number(BigInt.asIntN(64, v));
