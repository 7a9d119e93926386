import { describe, expect, it } from 'vitest';
import { headerDictionary } from '../../../pkg/api/streaming/spdy/dictionary.ts';
import {
  controlFrame, dataFrame, decodeHeaderBlock, encodeHeaderBlock, Flag, FrameReader, FrameType, streamIdOf, type Frame,
} from '../../../pkg/api/streaming/spdy/frames.ts';
import { SpdyServerSession, type SpdyStream } from '../../../pkg/api/streaming/spdy/session.ts';
import { ZlibContext } from '../../../pkg/api/streaming/spdy/zlib-context.ts';
import { adler32 } from './adler32.ts';

/** A SPDY client made of the same parts, talking to a server session in memory. */
function pair() {
  const fromServer = new FrameReader();
  const received: Frame[] = [];
  const opened: SpdyStream[] = [];
  let closed: string | undefined;
  const session = new SpdyServerSession(
    { write: (b) => received.push(...fromServer.push(b)), backlog: () => 0, drained: async () => {} },
    (s) => opened.push(s),
    (reason) => (closed = reason),
  );
  const deflate = new ZlibContext('deflate');
  const inflate = new ZlibContext('inflate');
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return {
    session, received, opened, inflate, settle,
    closed: () => closed,
    async syn(id: number, headers: Record<string, string>, flags = 0) {
      const block = await deflate.run(encodeHeaderBlock(new Map(Object.entries(headers))));
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(id, 0);
      session.receive(controlFrame(FrameType.synStream, flags, Buffer.concat([fixed, block])));
      await settle();
    },
  };
}

const controls = (fs: Frame[], type: number) => fs.filter((f): f is Extract<Frame, { kind: 'control' }> => f.kind === 'control' && f.type === type);

describe('SPDY/3.1 server session', () => {
  it('uses the SPDY/3 header dictionary (zlib checks its Adler-32; kubectl accepts it in test/e2e/port-forward.test.ts)', () => {
    expect(headerDictionary.length).toBe(1423);
    expect(adler32(headerDictionary)).toBe(0xe3c6a7c2);
  });

  it('answers SYN_STREAM with SYN_REPLY and hands the stream over with its headers', async () => {
    const p = pair();
    await p.syn(1, { streamtype: 'error', port: '8080', requestid: '0' });
    await p.syn(3, { StreamType: 'data', port: '8080', requestid: '0' });
    expect(p.opened.map((s) => [s.id, s.headers.get('streamtype'), s.headers.get('port')])).toEqual([[1, 'error', '8080'], [3, 'data', '8080']]);
    const replies = controls(p.received, FrameType.synReply);
    expect(replies.map((f) => streamIdOf(f.payload))).toEqual([1, 3]);
    // Both replies decompress in order with the one context a client keeps.
    for (const r of replies) expect(decodeHeaderBlock(await p.inflate.run(r.payload.subarray(4))).size).toBe(0);
  });

  it('carries data both ways with FIN, acknowledges it with WINDOW_UPDATE, and echoes PING', async () => {
    const p = pair();
    await p.syn(1, { streamtype: 'data', port: '80', requestid: '1' });
    const s = p.opened[0]!;
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    const ended = new Promise((r) => s.on('end', r));
    p.session.receive(Buffer.concat([dataFrame(1, 0, Buffer.from('hello ')), dataFrame(1, Flag.fin, Buffer.from('world'))]));
    await ended;
    expect(Buffer.concat(got).toString()).toBe('hello world');
    expect(controls(p.received, FrameType.windowUpdate).length).toBe(4);
    s.end(Buffer.alloc(70_000, 1));
    await p.settle();
    const data = p.received.filter((f): f is Extract<Frame, { kind: 'data' }> => f.kind === 'data');
    expect(data.reduce((n, f) => n + f.data.length, 0)).toBe(70_000);
    expect(data.every((f) => f.data.length <= 32 * 1024)).toBe(true);
    expect(data.at(-1)!.flags & Flag.fin).toBe(Flag.fin);
    const pingPayload = Buffer.alloc(4);
    pingPayload.writeUInt32BE(7);
    p.session.receive(controlFrame(FrameType.ping, 0, pingPayload));
    await p.settle();
    expect(controls(p.received, FrameType.ping).map((f) => f.payload.readUInt32BE(0))).toEqual([7]);
  });

  it('resets streams the client resets, and unknown streams', async () => {
    const p = pair();
    await p.syn(1, { streamtype: 'data' });
    const s = p.opened[0]!;
    const error = new Promise<Error>((r) => s.on('error', r));
    const rst = Buffer.alloc(8);
    rst.writeUInt32BE(1, 0);
    rst.writeUInt32BE(5, 4);
    p.session.receive(controlFrame(FrameType.rstStream, 0, rst));
    expect((await error).message).toBe('the client reset the stream');
    p.session.receive(dataFrame(9, 0, Buffer.from('x')));
    await p.settle();
    expect(controls(p.received, FrameType.rstStream).map((f) => [streamIdOf(f.payload), f.payload.readUInt32BE(4)])).toEqual([[9, 2]]);
  });

  it('ends the session with GOAWAY on bad input, never throwing', async () => {
    for (const bad of [
      Buffer.from([0x80, 0x02, 0x00, 0x01, 0, 0, 0, 0]), // SPDY/2
      Buffer.from([0x80, 0x03, 0x00, 0x01, 0, 0x7f, 0xff, 0xff]), // 8 MiB frame
      controlFrame(FrameType.synStream, 0, Buffer.alloc(3)), // truncated SYN_STREAM
      controlFrame(FrameType.synStream, 0, Buffer.concat([Buffer.alloc(10), Buffer.from('not zlib at all')])),
    ]) {
      const p = pair();
      p.session.receive(bad);
      await p.settle();
      expect(controls(p.received, FrameType.goAway).length).toBe(1);
      expect(p.closed()).toMatch(/^SPDY protocol error: /);
    }
  });

  it('decodes header blocks and refuses truncated ones', () => {
    const block = encodeHeaderBlock(new Map([['port', '80'], ['streamtype', 'data']]));
    expect([...decodeHeaderBlock(block)]).toEqual([['port', '80'], ['streamtype', 'data']]);
    expect(() => decodeHeaderBlock(block.subarray(0, block.length - 1))).toThrow('header block is truncated');
  });
});
