import type { ServerResponse } from 'node:http';

/**
 * Ends a response whose headers are written with `body`, handing a large body to the socket in
 * pieces of a quarter of its high-water mark, each once the one before is flushed, so the socket
 * never has to drain. Why: when a keep-alive client sends its next request while the answer to
 * the last one still waits to drain, Node's HTTP server pauses its parser; on a TLS socket the
 * parser still gets the bytes already decrypted, fails with HPE_PAUSED and the connection is
 * dropped (a write with a body over 16 KiB right after an answer over 64 KiB, e.g. the OpenAPI
 * document, then a kubectl apply).
 */
export function endPaced(res: ServerResponse, body: string | Buffer): void {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  const piece = Math.max(1024, Math.floor((res.socket?.writableHighWaterMark ?? 65536) / 4));
  let at = 0;
  const next = (err?: Error | null) => {
    if (err || res.destroyed) return;
    const chunk = data.subarray(at, at + piece);
    at += chunk.length;
    if (at >= data.length) res.end(chunk);
    else res.write(chunk, next);
  };
  next();
}
