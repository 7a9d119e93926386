import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { StatusError } from '../../../pkg/api/status.ts';
import { encodeFrame, FrameType, TunnelMux, WINDOW, type IncomingStream, type StreamRequest, type TunnelStream } from '../../../pkg/api/tunnel/index.ts';

// A real WebSocket pair over loopback: the server end opens streams, the agent end serves them.
const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((r) => s.close(r));
  }
});

async function pair(onStream: (s: IncomingStream) => void): Promise<{ server: TunnelMux; agent: TunnelMux; serverWs: WebSocket; agentWs: WebSocket }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  servers.push(wss);
  await once(wss, 'listening');
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const agentWs = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const agent = new TunnelMux(agentWs, { onStream });
  const [serverWs] = await accepted;
  await once(agentWs, 'open');
  return { server: new TunnelMux(serverWs, { replyTimeoutMs: 2_000 }), agent, serverWs, agentWs };
}

const target = { namespace: 'ns', name: 'p', uid: 'u', container: 'c', containerId: 'id' };
const logRequest: StreamRequest = { kind: 'log', target, follow: false, timestamps: false };

async function collect(s: TunnelStream): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const m of s) out.push(m as Buffer);
  return out;
}

describe('TunnelMux', () => {
  it('opens a stream, carries messages both ways with their boundaries, and ends both halves', async () => {
    const { server, agent } = await pair((s) => {
      const io = s.accept();
      io.on('data', (m: Buffer) => io.write(Buffer.concat([Buffer.from('echo:'), m])));
      io.on('end', () => io.end());
    });
    const s = await server.open(logRequest);
    const closed = new Promise((r) => s.once('close', r));
    const got = collect(s);
    s.write(Buffer.from('a'));
    s.write(Buffer.from('bc'));
    s.end();
    expect((await got).map(String)).toEqual(['echo:a', 'echo:bc']);
    await closed;
    expect(server.streamCount).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(agent.streamCount).toBe(0);
  });

  it('gives the request to the agent as sent, and many streams run side by side', async () => {
    const seen: StreamRequest[] = [];
    const { server } = await pair((s) => {
      seen.push(s.request);
      const io = s.accept();
      io.end(Buffer.from(`for ${s.request.kind === 'exec' ? s.request.command.join(' ') : '?'}`));
      io.resume();
    });
    const requests = Array.from({ length: 20 }, (_, i): StreamRequest => ({ kind: 'exec', target, command: ['echo', String(i)], stdin: false, stdout: true, stderr: false, tty: false }));
    const streams = await Promise.all(requests.map((r) => server.open(r)));
    const outputs = await Promise.all(streams.map(async (s) => {
      s.end();
      return (await collect(s)).map(String);
    }));
    expect(outputs).toEqual(requests.map((_, i) => [`for echo ${i}`]));
    expect(seen).toEqual(requests);
  });

  it('rejects open() with the Status the agent refuses with', async () => {
    const { server } = await pair((s) => s.refuse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 400, reason: 'BadRequest', message: 'container "c" in pod "p" is waiting to start: ContainerCreating' }));
    const err = await server.open(logRequest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'container "c" in pod "p" is waiting to start: ContainerCreating' });
  });

  it('refuses, as 400, a request the agent cannot parse', async () => {
    const { serverWs } = await pair(() => expect.unreachable('no stream should reach the handler'));
    const reply = new Promise<Buffer>((resolve) => serverWs.on('message', (d) => resolve(d as Buffer)));
    serverWs.send(encodeFrame(FrameType.open, 9, '{"kind":"teleport"}'));
    const frame = await reply;
    expect(frame[0]).toBe(FrameType.reply);
    expect(JSON.parse(frame.subarray(5).toString())).toMatchObject({ status: { code: 400, message: 'unknown stream kind "teleport"' } });
  });

  it('holds a writer at the window until the reader consumes, then lets everything through', async () => {
    let agentSide!: TunnelStream;
    const { server } = await pair((s) => {
      agentSide = s.accept();
    });
    const s = await server.open(logRequest);
    const chunk = Buffer.alloc(16 * 1024, 1);
    let queued = 1;
    while (s.write(chunk)) queued++; // until the writer feels backpressure
    await new Promise((r) => setTimeout(r, 100));
    // Unread, the receiver holds one window plus what its own buffer (16 messages) asked for.
    expect(agentSide.readableLength * chunk.length).toBeLessThanOrEqual(WINDOW + 16 * chunk.length);
    expect(agentSide.readableLength).toBeLessThan(queued);
    s.end();
    const got = await collect(agentSide);
    expect(got).toHaveLength(queued);
    expect(got.every((b) => b.equals(chunk))).toBe(true);
  });

  it('passes a reset to the other end as an error with its reason', async () => {
    let agentSide!: TunnelStream;
    const { server } = await pair((s) => {
      agentSide = s.accept();
    });
    const s = await server.open(logRequest);
    const failed = new Promise((r) => agentSide.once('close', r));
    const err = new Promise<Error>((r) => agentSide.once('error', r));
    s.destroy(new Error('client went away'));
    await failed;
    expect((await err).message).toBe('client went away');
  });

  it('fails open streams and pending opens when the WebSocket closes', async () => {
    let opened = 0;
    const { server, agentWs } = await pair((s) => {
      if (opened++ === 0) s.accept(); // the second request is never answered
    });
    const s = await server.open(logRequest);
    const pending = server.open(logRequest);
    await new Promise((r) => setTimeout(r, 50));
    const err = new Promise<Error>((r) => s.once('error', r));
    agentWs.terminate();
    expect((await err).message).toBe('tunnel closed');
    await expect(pending).rejects.toMatchObject({ status: { code: 503 } });
    await expect(server.open(logRequest)).rejects.toMatchObject({ status: { code: 503, reason: 'ServiceUnavailable' } });
  });

  it('closes the tunnel on a malformed frame rather than guess', async () => {
    const { server, serverWs } = await pair(() => {});
    const closed = new Promise<number>((r) => serverWs.once('close', (code) => r(code)));
    serverWs.send(Buffer.from([1, 2]));
    expect(await closed).toBe(1002);
    await server.closed;
  });
});
