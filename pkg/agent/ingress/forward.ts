import { request, type Agent, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Endpoint } from './endpoints.ts';

// Headers of one connection, not of the message (RFC 9110 §7.6.1): never forwarded as such.
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const clientIP = (req: IncomingMessage) => (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');

/**
 * The headers sent to a backend: the client's, without hop-by-hop ones (and those its Connection
 * header names), plus X-Forwarded-For/-Host/-Port/-Proto and X-Real-IP. Like ingress-nginx by
 * default, forwarded headers the client sent are replaced, not trusted. An upgrade keeps its
 * Upgrade and `Connection: upgrade`.
 */
export function backendHeaders(req: IncomingMessage, proto: 'http' | 'https', localPort: number, upgrade = false): OutgoingHttpHeaders {
  const named = new Set(String(req.headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()).filter(Boolean));
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || hopByHop.has(k) || named.has(k) || k.startsWith('x-forwarded-') || k === 'x-real-ip') continue;
    out[k] = v;
  }
  const ip = clientIP(req);
  out['x-forwarded-for'] = ip;
  out['x-real-ip'] = ip;
  out['x-forwarded-host'] = req.headers.host ?? '';
  out['x-forwarded-port'] = String(localPort);
  out['x-forwarded-proto'] = proto;
  if (upgrade) {
    out.connection = 'upgrade';
    out.upgrade = req.headers.upgrade ?? '';
  }
  return out;
}

/**
 * Sends one request to `to` over the keep-alive `agent` and streams the answer back. A backend
 * that cannot be reached, or fails before answering, gets the client a 502; one that fails
 * mid-answer has the client's connection cut (the status is already gone). A client that leaves
 * early aborts the backend request.
 */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, to: Endpoint, proto: 'http' | 'https', agent: Agent, onError: (err: Error) => void): void {
  const up = request({ host: to.ip, port: to.port, method: req.method, path: req.url, headers: backendHeaders(req, proto, req.socket.localPort ?? 0), agent, setHost: false });
  up.on('response', (answer) => {
    const headers: OutgoingHttpHeaders = {};
    const named = new Set(String(answer.headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim()));
    for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !hopByHop.has(k) && !named.has(k)) headers[k] = v;
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  up.on('error', (err) => {
    onError(err);
    if (!res.headersSent) sendStatus(res, 502);
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) up.destroy();
  });
  req.pipe(up);
}

/**
 * An Upgrade request (WebSocket and others): the request goes to `to` on a new connection and
 * from there the two sockets are joined byte for byte; the backend's own 101 (or refusal) is
 * what the client reads.
 */
export function forwardUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, to: Endpoint, proto: 'http' | 'https', onError: (err: Error) => void): void {
  const headers = backendHeaders(req, proto, (req.socket as Socket).localPort ?? 0, true);
  const up = connect({ host: to.ip, port: to.port });
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
  for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${String(one)}`);
  up.once('connect', () => {
    up.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) up.write(head);
    up.pipe(client);
    client.pipe(up);
  });
  up.on('error', (err) => {
    onError(err);
    if (up.connecting || !up.bytesRead) client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    else client.destroy();
  });
  client.on('error', () => up.destroy());
  client.on('close', () => up.destroy());
  up.on('close', () => client.destroy());
}

const reasons: Record<number, string> = { 404: '404 page not found', 502: '502 Bad Gateway', 503: '503 Service Temporarily Unavailable' };

/** Our own answer (no route, no endpoint, unreachable backend): a short plain-text body. */
export function sendStatus(res: ServerResponse, code: number): void {
  const body = `${reasons[code] ?? String(code)}\n`;
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
