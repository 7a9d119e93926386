/**
 * SPDY/3.1 framing (the SPDY draft 3 and 3.1 specs; what kubectl's port-forward speaks through
 * moby/spdystream). Every frame has an 8-byte header: a control frame sets the top bit and carries
 * the version (3) and a type; a data frame carries a 31-bit stream id. Then 8 bits of flags, a
 * 24-bit length, and the payload.
 */

export const FrameType = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const;
export const Flag = { fin: 0x01, unidirectional: 0x02 } as const;
export const RstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6, streamInUse: 8, streamAlreadyClosed: 9 } as const;

const VERSION = 3;
/** The largest payload accepted; the length field allows 16 MiB, nobody needs that here. */
export const MAX_PAYLOAD = 1 << 20;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; payload: Buffer };

export class FrameError extends Error {}

/** Splits a byte stream into frames; feed it whatever arrives, in order. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (len > MAX_PAYLOAD) throw new FrameError(`frame of ${len} bytes is too large`);
      if (this.buf.length < 8 + len) break;
      const flags = this.buf[4]!;
      const payload = this.buf.subarray(8, 8 + len);
      if (this.buf[0]! & 0x80) {
        const version = this.buf.readUInt16BE(0) & 0x7fff;
        if (version !== VERSION) throw new FrameError(`SPDY version ${version} is not supported`);
        out.push({ kind: 'control', type: this.buf.readUInt16BE(2), flags, payload });
      } else {
        out.push({ kind: 'data', streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, data: payload });
      }
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | VERSION, 0);
  h.writeUInt16BE(type, 2);
  h[4] = flags;
  h.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([h, payload]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h[4] = flags;
  h.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([h, data]);
}

const u32 = (...xs: number[]) => {
  const b = Buffer.alloc(4 * xs.length);
  xs.forEach((x, i) => b.writeUInt32BE(x >>> 0, 4 * i));
  return b;
};

export const synReply = (streamId: number, flags: number, compressedHeaders: Buffer) =>
  controlFrame(FrameType.synReply, flags, Buffer.concat([u32(streamId & 0x7fffffff), compressedHeaders]));
export const rstStream = (streamId: number, status: number) => controlFrame(FrameType.rstStream, 0, u32(streamId & 0x7fffffff, status));
export const ping = (id: number) => controlFrame(FrameType.ping, 0, u32(id));
export const goAway = (lastStreamId: number, status: number) => controlFrame(FrameType.goAway, 0, u32(lastStreamId & 0x7fffffff, status));
export const windowUpdate = (streamId: number, delta: number) => controlFrame(FrameType.windowUpdate, 0, u32(streamId & 0x7fffffff, delta & 0x7fffffff));

/** SYN_STREAM: stream id, associated stream id and priority (10 bytes), then the compressed header block. */
export function parseSynStream(payload: Buffer): { streamId: number; headerBlock: Buffer } {
  if (payload.length < 10) throw new FrameError('SYN_STREAM frame is too short');
  return { streamId: payload.readUInt32BE(0) & 0x7fffffff, headerBlock: payload.subarray(10) };
}

/** The stream id at the start of RST_STREAM, HEADERS, WINDOW_UPDATE, SYN_REPLY payloads. */
export function streamIdOf(payload: Buffer): number {
  if (payload.length < 4) throw new FrameError('control frame is too short');
  return payload.readUInt32BE(0) & 0x7fffffff;
}

/**
 * A decompressed header block: a 32-bit count of pairs, each name and value a 32-bit length and
 * bytes (a value may hold several, NUL-separated). Names are lower case on the wire; they are
 * returned lower-cased anyway, as kubelet compares them case-insensitively.
 */
export function decodeHeaderBlock(b: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let off = 0;
  const take = (): Buffer => {
    if (off + 4 > b.length) throw new FrameError('header block is truncated');
    const len = b.readUInt32BE(off);
    off += 4;
    if (off + len > b.length) throw new FrameError('header block is truncated');
    const s = b.subarray(off, off + len);
    off += len;
    return s;
  };
  if (b.length < 4) throw new FrameError('header block is truncated');
  const n = b.readUInt32BE(0);
  off = 4;
  if (n > 1000) throw new FrameError(`header block claims ${n} headers`);
  for (let i = 0; i < n; i++) {
    const name = take().toString('latin1').toLowerCase();
    const value = take().toString('latin1');
    out.set(name, value);
  }
  return out;
}

export function encodeHeaderBlock(headers: ReadonlyMap<string, string>): Buffer {
  const parts: Buffer[] = [u32(headers.size)];
  for (const [k, v] of headers) {
    const name = Buffer.from(k.toLowerCase(), 'latin1');
    const value = Buffer.from(v, 'latin1');
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}
