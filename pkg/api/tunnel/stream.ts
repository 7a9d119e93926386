import { Duplex } from 'node:stream';

/** How a TunnelStream reaches its mux; one per stream. */
export interface StreamSink {
  data(id: number, chunk: Buffer): void;
  end(id: number): void;
  reset(id: number, reason: string): void;
  credit(id: number, n: number): void;
  /** The stream is over in both directions (or was reset); forget it. */
  done(id: number): void;
}

/** Bytes a side may have in flight per stream before the receiver returns credit. */
export const WINDOW = 256 * 1024;

/**
 * One multiplexed stream: a Duplex of Buffers whose message boundaries survive the tunnel.
 * Writes wait for credit: a message is sent when it fits the remaining window, or when the whole
 * window is free (so a message larger than the window still goes, and the debt is repaid by later
 * credit). Received messages return credit once Node asks for more (`_read`), i.e. when the
 * consumer keeps up. end() sends END after queued writes; destroy() before both halves ended
 * sends RESET. A RESET received destroys the stream with the peer's reason.
 */
export class TunnelStream extends Duplex {
  private credit = WINDOW;
  private owed = 0;
  private waiting: { chunk: Buffer; cb: (err?: Error | null) => void } | undefined;
  private sentEnd = false;
  private gotEnd = false;
  private closedByPeer = false;

  constructor(readonly id: number, private readonly sink: StreamSink) {
    super({ objectMode: true, allowHalfOpen: true });
    this.once('end', () => this.settle());
  }

  /** Frames from the peer. */
  receiveData(chunk: Buffer): void {
    if (this.gotEnd || this.destroyed) return;
    this.owed += chunk.length;
    this.push(chunk);
  }

  receiveEnd(): void {
    if (this.gotEnd) return;
    this.gotEnd = true;
    this.push(null);
  }

  receiveCredit(n: number): void {
    this.credit += n;
    const w = this.waiting;
    if (w && this.fits(w.chunk.length)) {
      this.waiting = undefined;
      this.send(w.chunk, w.cb);
    }
  }

  receiveReset(reason: string): void {
    this.closedByPeer = true;
    this.destroy(new Error(reason || 'stream reset by peer'));
  }

  override _read(): void {
    if (this.owed > 0) {
      this.sink.credit(this.id, this.owed);
      this.owed = 0;
    }
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.fits(buf.length)) this.send(buf, cb);
    else this.waiting = { chunk: buf, cb };
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.sentEnd = true;
    this.sink.end(this.id);
    cb();
    this.settle();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.closedByPeer && !(this.sentEnd && this.gotEnd)) this.sink.reset(this.id, err?.message ?? 'stream cancelled');
    this.waiting?.cb(err ?? new Error('stream closed'));
    this.waiting = undefined;
    this.sink.done(this.id);
    cb(err);
  }

  private fits(n: number): boolean {
    return n <= this.credit || this.credit >= WINDOW;
  }

  private send(chunk: Buffer, cb: (err?: Error | null) => void): void {
    this.credit -= chunk.length;
    this.sink.data(this.id, chunk);
    cb();
  }

  // Both halves over: release the id (destroy() without a RESET, since nothing is cut short).
  private settle(): void {
    if (this.sentEnd && this.gotEnd && this.readableEnded && !this.destroyed) this.destroy();
  }
}
