/**
 * The agent tunnel's wire format: one WebSocket binary message per frame,
 * `[type u8][stream id u32 BE][payload]`. The server opens streams; the agent answers each OPEN
 * with exactly one REPLY before any DATA. Either side ends its half with END, or aborts the
 * whole stream with RESET. CREDIT returns receive window (flow control, see mux.ts).
 */
export const FrameType = {
  /** payload: JSON StreamRequest */
  open: 1,
  /** payload: JSON `{}` (accepted) or `{"status": Status}` (refused; the stream is over) */
  reply: 2,
  /** payload: bytes */
  data: 3,
  /** no payload: the sender writes no more DATA */
  end: 4,
  /** payload: UTF-8 reason */
  reset: 5,
  /** payload: u32 BE bytes the receiver has consumed and may be sent again */
  credit: 6,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export interface Frame {
  type: FrameType;
  id: number;
  payload: Buffer;
}

const HEADER = 5;
const types = new Set<number>(Object.values(FrameType));

export function encodeFrame(type: FrameType, id: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const out = Buffer.allocUnsafe(HEADER + body.length);
  out.writeUInt8(type, 0);
  out.writeUInt32BE(id >>> 0, 1);
  body.copy(out, HEADER);
  return out;
}

/** Throws FrameError for a message that is not a frame (too short, unknown type). */
export function decodeFrame(msg: Buffer): Frame {
  if (msg.length < HEADER) throw new FrameError(`tunnel frame of ${msg.length} bytes is shorter than its ${HEADER}-byte header`);
  const type = msg.readUInt8(0);
  if (!types.has(type)) throw new FrameError(`unknown tunnel frame type ${type}`);
  return { type: type as FrameType, id: msg.readUInt32BE(1), payload: msg.subarray(HEADER) };
}

export function creditPayload(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

export class FrameError extends Error {
  override name = 'FrameError';
}
