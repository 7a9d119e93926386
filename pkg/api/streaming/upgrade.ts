import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { badRequest } from '../status.ts';

/**
 * A request that arrived through the server's 'upgrade' event: `res` writes a plain HTTP answer
 * on the raw socket (every refusal is a Status like any other), or the socket is handed over.
 */
export interface Upgrade {
  socket: Duplex;
  head: Buffer;
}

const chosen = new WeakMap<IncomingMessage, string>();
const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  // Exec stdin, port-forward data and tunnel frames: large enough for any single message a client sends.
  maxPayload: 16 * 1024 * 1024,
  handleProtocols: (_offered, req) => chosen.get(req) ?? false,
});

export function isWebSocket(req: IncomingMessage): boolean {
  return req.headers.upgrade?.toLowerCase() === 'websocket';
}

/** Subprotocols the client offers, in its order of preference. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/** Completes the WebSocket handshake (101) with `protocol` and hands the connection over. */
export function acceptWebSocket(req: IncomingMessage, res: ServerResponse, up: Upgrade | undefined, protocol?: string): Promise<WebSocket> {
  if (!up || !isWebSocket(req)) throw badRequest('Upgrade request required');
  if (protocol) chosen.set(req, protocol);
  res.detachSocket(up.socket as never);
  return new Promise((resolve, reject) => {
    // A handshake ws refuses (bad key or version) answers the client itself and never calls back.
    up.socket.once('close', () => reject(new Error('WebSocket handshake failed')));
    wss.handleUpgrade(req, up.socket, up.head, resolve);
  });
}
