import { Duplex } from 'node:stream';
import {
  decodeHeaderBlock, encodeHeaderBlock, Flag, FrameError, FrameReader, FrameType, goAway, parseSynStream, ping, rstStream,
  RstStatus, streamIdOf, synReply, dataFrame, windowUpdate, type Frame,
} from './frames.ts';
import { ZlibContext } from './zlib-context.ts';

/** Data frames sent are at most this big (spdystream reads any size; small frames interleave streams fairly). */
const MAX_DATA_FRAME = 32 * 1024;
/** Bytes queued towards the client beyond which a stream's writes wait. */
const MAX_BACKLOG = 1 << 20;

/** Where the session's bytes go: a WebSocket or a socket, with how much is still queued. */
export interface Transport {
  write(b: Buffer): void;
  backlog(): number;
  /** Resolves once the backlog has shrunk (or the transport is gone). */
  drained(): Promise<void>;
}

/**
 * One stream the client opened: a Duplex of its bytes. Ending the writable side sends FIN;
 * destroying it before both sides ended resets the stream (RST_STREAM CANCEL).
 */
export class SpdyStream extends Duplex {
  private finSent = false;
  private finReceived = false;

  constructor(readonly id: number, readonly headers: ReadonlyMap<string, string>, private readonly session: SpdyServerSession) {
    super({ allowHalfOpen: true });
  }

  /** @internal data from the client */
  receive(data: Buffer, fin: boolean): void {
    if (this.finReceived || this.destroyed) return;
    if (data.length) this.push(data);
    if (fin) {
      this.finReceived = true;
      this.push(null);
    }
  }

  /** @internal the client reset the stream, or the session ended */
  abort(reason: string): void {
    this.finReceived = this.finSent = true;
    this.destroy(new Error(reason));
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    for (let off = 0; off < chunk.length; off += MAX_DATA_FRAME) this.session.send(dataFrame(this.id, 0, chunk.subarray(off, off + MAX_DATA_FRAME)));
    // A slow client holds the writer back instead of queueing without bound.
    if (this.session.congested()) void this.session.drained().then(() => cb());
    else cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.finSent = true;
    this.session.send(dataFrame(this.id, Flag.fin, Buffer.alloc(0)));
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.finSent || !this.finReceived) this.session.send(rstStream(this.id, RstStatus.cancel));
    this.session.forget(this.id);
    cb(err);
  }
}

/**
 * The server side of a SPDY/3.1 session over any byte transport (a WebSocket's binary messages or
 * an upgraded socket): the client opens streams with SYN_STREAM, each is answered with SYN_REPLY
 * and handed to `onStream` with its headers. Frames are handled strictly in order (header blocks
 * share one zlib context per direction). PINGs are echoed; data is acknowledged with
 * WINDOW_UPDATE as it arrives, so a client that honours SPDY/3.1 flow control never stalls. A
 * protocol error ends the session with GOAWAY.
 */
export class SpdyServerSession {
  private readonly reader = new FrameReader();
  private readonly inflate = new ZlibContext('inflate');
  private readonly deflate = new ZlibContext('deflate');
  private readonly streams = new Map<number, SpdyStream>();
  private queue: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly onStream: (s: SpdyStream) => void,
    private readonly onClose: (reason?: string) => void,
  ) {}

  /** Bytes from the transport. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.fail((err as Error).message);
      return;
    }
    for (const f of frames) {
      this.queue = this.queue.then(() => (this.closed ? undefined : this.handle(f))).catch((err: Error) => this.fail(err.message));
    }
  }

  /** The transport is gone: every stream ends. */
  close(reason = 'the connection closed'): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.streams.values()]) s.abort(reason);
    this.streams.clear();
    this.inflate.close();
    this.deflate.close();
    this.onClose(reason);
  }

  /** @internal */
  send(b: Buffer): void {
    if (!this.closed) this.transport.write(b);
  }

  /** @internal */
  congested(): boolean {
    return !this.closed && this.transport.backlog() > MAX_BACKLOG;
  }

  /** @internal */
  drained(): Promise<void> {
    return this.closed ? Promise.resolve() : this.transport.drained();
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.transport.write(goAway(this.lastStreamId, 1));
    this.close(`SPDY protocol error: ${reason}`);
  }

  private async handle(f: Frame): Promise<void> {
    if (f.kind === 'data') {
      const s = this.streams.get(f.streamId);
      if (!s) {
        this.send(rstStream(f.streamId, RstStatus.invalidStream));
        return;
      }
      if (f.data.length) this.send(Buffer.concat([windowUpdate(f.streamId, f.data.length), windowUpdate(0, f.data.length)]));
      s.receive(f.data, (f.flags & Flag.fin) !== 0);
      return;
    }
    switch (f.type) {
      case FrameType.synStream:
        return this.open(f.payload, f.flags);
      case FrameType.rstStream:
        this.streams.get(streamIdOf(f.payload))?.abort('the client reset the stream');
        return;
      case FrameType.ping:
        if (f.payload.length === 4 && f.payload.readUInt32BE(0) % 2 === 1) this.send(ping(f.payload.readUInt32BE(0)));
        return;
      case FrameType.goAway:
        this.close('the client went away');
        return;
      case FrameType.headers:
        // Extra headers on an open stream mean nothing to port-forward, but the block must pass
        // through the shared zlib context to keep it in step.
        await this.inflate.run(f.payload.subarray(4));
        return;
      default:
        // SETTINGS, WINDOW_UPDATE and unknown types: nothing to do (this side never blocks on the client's window).
        return;
    }
  }

  private async open(payload: Buffer, flags: number): Promise<void> {
    const { streamId, headerBlock } = parseSynStream(payload);
    const headers = decodeHeaderBlock(await this.inflate.run(headerBlock));
    if (streamId % 2 !== 1 || streamId <= this.lastStreamId) throw new FrameError(`stream id ${streamId} is out of order`);
    this.lastStreamId = streamId;
    const s = new SpdyStream(streamId, headers, this);
    this.streams.set(streamId, s);
    const reply = await this.deflate.run(encodeHeaderBlock(new Map()));
    this.send(synReply(streamId, 0, reply));
    if (flags & Flag.fin) s.receive(Buffer.alloc(0), true);
    this.onStream(s);
  }
}
