import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { badRequest } from '../status.ts';
import type { PodRef, TunnelRegistry, TunnelStream } from '../tunnel/index.ts';
import { SpdyServerSession, type SpdyStream, type Transport } from './spdy/session.ts';
import { nodeOf, type Pod } from './target.ts';
import { acceptWebSocket, isWebSocket, offeredProtocols, type Upgrade } from './upgrade.ts';

/** kubectl ≥ 1.30 tunnels its SPDY session through a WebSocket with this subprotocol. */
export const spdyOverWebSocket = 'SPDY/3.1+portforward.k8s.io';
const portForwardProtocol = 'portforward.k8s.io';

/**
 * pods/portforward as kubectl speaks it: a SPDY/3.1 session, inside a WebSocket (kubectl's
 * default) or on the upgraded connection itself (its SPDY fallback). For each local connection
 * kubectl opens an error stream and a data stream with the same `requestid` and the remote
 * `port`; once both are there the pod's agent dials the port through its tunnel and the data
 * stream carries the bytes. A failure is written on the error stream, which kubectl reports.
 */
export async function servePortForward(tunnels: TunnelRegistry, pod: Pod, req: IncomingMessage, res: ServerResponse, up: Upgrade | undefined): Promise<void> {
  const node = nodeOf(pod);
  tunnels.requireConnected(node);
  if (!up) throw badRequest('Upgrade request required');
  const ref: PodRef = { namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! };
  const forward = (s: SpdyStream, pairs: Pairs) => pairs.add(s, (port) => tunnels.open(node, { kind: 'portforward', pod: ref, port }));

  if (isWebSocket(req)) {
    const offered = offeredProtocols(req);
    if (!offered.includes(spdyOverWebSocket)) {
      throw badRequest(`unable to upgrade: none of the offered subprotocols [${offered.join(', ')}] is served; port-forward speaks ${spdyOverWebSocket}`);
    }
    const ws = await acceptWebSocket(req, res, up, spdyOverWebSocket);
    runOverWebSocket(ws, forward);
    return;
  }
  if (req.headers.upgrade?.toLowerCase() !== 'spdy/3.1') throw badRequest('Upgrade request required');
  const versions = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((v) => v.trim());
  if (!versions.includes(portForwardProtocol)) throw badRequest(`unable to upgrade: the client offers protocol versions [${versions.join(', ')}], the server speaks ${portForwardProtocol}`);
  res.detachSocket(up.socket as never);
  up.socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${portForwardProtocol}\r\n\r\n`);
  const pairs = new Pairs();
  const sock = up.socket;
  const transport: Transport = {
    write: (b) => void sock.write(b),
    backlog: () => sock.writableLength,
    drained: () => new Promise((r) => sock.once('drain', r).once('close', r)),
  };
  const session = new SpdyServerSession(transport, (s) => forward(s, pairs), () => sock.destroy());
  up.socket.on('data', (d: Buffer) => session.receive(d));
  up.socket.on('close', () => session.close());
  up.socket.on('error', () => session.close());
  if (up.head.length) session.receive(up.head);
}

function runOverWebSocket(ws: WebSocket, forward: (s: SpdyStream, pairs: Pairs) => void): void {
  const pairs = new Pairs();
  const transport: Transport = {
    write: (b) => {
      if (ws.readyState === ws.OPEN) ws.send(b, { binary: true });
    },
    backlog: () => ws.bufferedAmount,
    // ws has no drain event: look again shortly.
    drained: () => new Promise((r) => setTimeout(r, 5)),
  };
  const session = new SpdyServerSession(
    transport,
    (s) => forward(s, pairs),
    () => {
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
  );
  // The messages are one byte stream; their boundaries mean nothing.
  ws.on('message', (data, isBinary) => {
    if (isBinary) session.receive(data as Buffer);
  });
  ws.on('close', () => session.close());
  ws.on('error', () => session.close());
}

/** The error and data streams of one forwarded connection, matched by `requestid`. */
class Pairs {
  private readonly waiting = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();

  add(s: SpdyStream, dial: (port: number) => Promise<TunnelStream>): void {
    const type = s.headers.get('streamtype');
    const id = s.headers.get('requestid') ?? s.headers.get('port') ?? '';
    if (type !== 'error' && type !== 'data') {
      s.destroy();
      return;
    }
    const p = this.waiting.get(id) ?? {};
    p[type] = s;
    if (!p.error || !p.data) {
      this.waiting.set(id, p);
      return;
    }
    this.waiting.delete(id);
    void relay(p.error, p.data, dial);
  }
}

async function relay(error: SpdyStream, data: SpdyStream, dial: (port: number) => Promise<TunnelStream>): Promise<void> {
  error.resume(); // kubectl sends nothing on it and closes its side at once
  const raw = data.headers.get('port') ?? '';
  const port = Number(raw);
  const fail = (message: string) => {
    error.end(message);
    data.end();
  };
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) return fail(`invalid port: ${JSON.stringify(raw)}`);
  let remote: TunnelStream;
  try {
    remote = await dial(port);
  } catch (err) {
    return fail((err as Error).message);
  }
  data.on('data', (chunk: Buffer) => {
    if (!remote.write(chunk)) {
      data.pause();
      remote.once('drain', () => data.resume());
    }
  });
  data.on('end', () => remote.end());
  data.on('error', () => remote.destroy());
  data.on('close', () => {
    if (!remote.writableEnded) remote.destroy();
  });
  try {
    for await (const chunk of remote) {
      if (data.destroyed) break;
      if (!data.write(chunk as Buffer)) await new Promise<void>((r) => data.once('drain', r).once('close', r));
    }
    if (!data.destroyed) data.end();
    error.end();
  } catch (err) {
    if (!error.destroyed) error.end(`error forwarding port ${port}: ${(err as Error).message}`);
    if (!data.destroyed) data.end();
  }
}
