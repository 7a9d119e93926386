import type { WebSocket } from 'ws';
import type { Status } from '../types/index.ts';
import { StatusError } from '../status.ts';
import { creditPayload, decodeFrame, encodeFrame, FrameType, type Frame } from './frame.ts';
import { parseStreamRequest, type StreamRequest } from './requests.ts';
import { TunnelStream, type StreamSink } from './stream.ts';

/** A stream the peer asked for; the handler accepts it (and serves it) or refuses it with a Status. */
export interface IncomingStream {
  request: StreamRequest;
  accept(): TunnelStream;
  refuse(status: Status & { code: number }): void;
}

export interface MuxOptions {
  /** Agent side: called once per OPEN. A request that does not parse is refused (400) before. */
  onStream?: (s: IncomingStream) => void;
  /** Milliseconds to wait for a REPLY before open() fails with 504. */
  replyTimeoutMs?: number;
}

/**
 * Many streams over one WebSocket (the agent tunnel, DESIGN.md §4). The same class runs on both
 * ends: the API server calls open(); the agent receives through `onStream`. Frames for unknown
 * streams are dropped (they raced a RESET); a malformed frame closes the whole tunnel, since the
 * two ends no longer agree. When the WebSocket closes every stream is destroyed.
 */
export class TunnelMux {
  private readonly streams = new Map<number, TunnelStream>();
  private readonly pending = new Map<number, { resolve: (s: TunnelStream) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private closedWith: string | undefined;
  readonly closed: Promise<void>;

  constructor(private readonly ws: WebSocket, private readonly opts: MuxOptions = {}) {
    this.closed = new Promise((resolve) => {
      ws.on('close', () => {
        this.shutdown('tunnel closed');
        resolve();
      });
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return this.close(1003, 'tunnel frames are binary');
      try {
        this.receive(decodeFrame(toBuffer(data)));
      } catch (err) {
        this.close(1002, (err as Error).message);
      }
    });
    ws.on('error', () => {}); // 'close' follows and cleans up
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** Opens a stream and waits for the agent's REPLY; a refusal rejects with its StatusError. */
  open(request: StreamRequest): Promise<TunnelStream> {
    if (this.closedWith) return Promise.reject(unavailable(`the node's tunnel is closed (${this.closedWith})`));
    const id = this.nextId;
    this.nextId = this.nextId >= 0x7fffffff ? 1 : this.nextId + 1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.sendFrame(FrameType.reset, id, 'no reply in time');
        reject(new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 504, reason: 'Timeout', message: 'the node agent did not answer the stream request in time' }));
      }, this.opts.replyTimeoutMs ?? 30_000);
      this.pending.set(id, { resolve, reject, timer });
      this.sendFrame(FrameType.open, id, JSON.stringify(request));
    });
  }

  close(code = 1000, reason = ''): void {
    this.shutdown(reason || 'tunnel closed');
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason.slice(0, 120));
  }

  private receive(f: Frame): void {
    switch (f.type) {
      case FrameType.open:
        return this.incoming(f.id, f.payload);
      case FrameType.reply:
        return this.reply(f.id, f.payload);
      case FrameType.data:
        return this.streams.get(f.id)?.receiveData(Buffer.from(f.payload));
      case FrameType.end:
        return this.streams.get(f.id)?.receiveEnd();
      case FrameType.credit:
        if (f.payload.length !== 4) throw new Error('credit frame must carry 4 bytes');
        return this.streams.get(f.id)?.receiveCredit(f.payload.readUInt32BE(0));
      case FrameType.reset: {
        const p = this.pending.get(f.id);
        if (p) {
          this.settlePending(f.id);
          p.reject(unavailable(`the node agent reset the stream: ${f.payload.toString('utf8')}`));
        }
        return this.streams.get(f.id)?.receiveReset(f.payload.toString('utf8'));
      }
    }
  }

  private incoming(id: number, payload: Buffer): void {
    if (this.streams.has(id)) throw new Error(`stream ${id} opened twice`);
    let request: StreamRequest;
    try {
      request = parseStreamRequest(payload);
    } catch (err) {
      this.sendFrame(FrameType.reply, id, JSON.stringify({ status: failure(400, 'BadRequest', (err as Error).message) }));
      return;
    }
    if (!this.opts.onStream) {
      this.sendFrame(FrameType.reply, id, JSON.stringify({ status: failure(400, 'BadRequest', 'this end of the tunnel serves no streams') }));
      return;
    }
    let answered = false;
    this.opts.onStream({
      request,
      accept: () => {
        if (answered) throw new Error('stream answered twice');
        answered = true;
        const s = this.track(id);
        this.sendFrame(FrameType.reply, id, '{}');
        return s;
      },
      refuse: (status) => {
        if (answered) throw new Error('stream answered twice');
        answered = true;
        this.sendFrame(FrameType.reply, id, JSON.stringify({ status }));
      },
    });
  }

  private reply(id: number, payload: Buffer): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.settlePending(id);
    let body: { status?: Status & { code?: number } };
    try {
      body = JSON.parse(payload.toString('utf8')) as typeof body;
    } catch {
      p.reject(unavailable('the node agent sent a malformed reply'));
      return;
    }
    if (body.status) {
      const code = typeof body.status.code === 'number' ? body.status.code : 500;
      p.reject(new StatusError({ ...body.status, kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code }));
      return;
    }
    p.resolve(this.track(id));
  }

  private track(id: number): TunnelStream {
    const sink: StreamSink = {
      data: (sid, chunk) => this.sendFrame(FrameType.data, sid, chunk),
      end: (sid) => this.sendFrame(FrameType.end, sid),
      reset: (sid, reason) => this.sendFrame(FrameType.reset, sid, reason),
      credit: (sid, n) => this.sendFrame(FrameType.credit, sid, creditPayload(n)),
      done: (sid) => this.streams.delete(sid),
    };
    const s = new TunnelStream(id, sink);
    s.on('error', () => {}); // owners listen for what matters to them; a reset must not crash the process
    this.streams.set(id, s);
    if (this.closedWith) s.receiveReset(this.closedWith);
    return s;
  }

  private settlePending(id: number): void {
    const p = this.pending.get(id);
    if (p) clearTimeout(p.timer);
    this.pending.delete(id);
  }

  private sendFrame(type: FrameType, id: number, payload?: Buffer | string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(encodeFrame(type, id, payload), { binary: true });
  }

  private shutdown(reason: string): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(unavailable(`the node's tunnel closed before the agent answered (${reason})`));
      this.pending.delete(id);
    }
    for (const s of [...this.streams.values()]) s.receiveReset(reason);
    this.streams.clear();
  }
}

function failure(code: number, reason: string, message: string): Status & { code: number } {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message };
}

const unavailable = (message: string) => new StatusError(failure(503, 'ServiceUnavailable', message));

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
