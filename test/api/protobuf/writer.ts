/**
 * A minimal protobuf writer for building test vectors by hand: each helper returns the bytes of
 * one field (tag + payload), and `msg` concatenates fields into a message payload.
 */
export function varint(v: number | bigint): number[] {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x ? b | 0x80 : b);
  } while (x);
  return out;
}

const tag = (field: number, wireType: number) => varint((field << 3) | wireType);
const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];

export const f = {
  varint: (field: number, v: number | bigint | boolean) => [...tag(field, 0), ...varint(typeof v === 'boolean' ? (v ? 1 : 0) : v)],
  bytes: (field: number, v: string | number[]) => {
    const payload = typeof v === 'string' ? utf8(v) : v;
    return [...tag(field, 2), ...varint(payload.length), ...payload];
  },
  msg: (field: number, ...parts: number[][]) => f.bytes(field, parts.flat()),
  fixed64: (field: number, v: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return [...tag(field, 1), ...b];
  },
  fixed32: (field: number, v: number) => {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    return [...tag(field, 5), ...b];
  },
  /** A map<string,string|bytes> entry. */
  entry: (field: number, key: string, value: string | number[]) => f.msg(field, f.bytes(1, key), f.bytes(2, value)),
};

export const msg = (...parts: number[][]) => Uint8Array.from(parts.flat());

/** "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export function envelope(apiVersion: string, kind: string, raw: number[] | Uint8Array, extra: number[][] = []): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...f.msg(1, f.bytes(1, apiVersion), f.bytes(2, kind)), ...f.bytes(2, [...raw]), ...extra.flat()]);
}
