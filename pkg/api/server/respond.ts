import type { ServerResponse } from 'node:http';
import type { Status } from '../types/index.ts';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', warnings?: string[]): void {
  const data = JSON.stringify(body);
  const headers: Record<string, string | string[] | number> = { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) };
  if (warnings?.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(data);
}

export function sendStatus(res: ServerResponse, status: Status & { code: number }): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retry = status.details?.retryAfterSeconds;
  if (retry !== undefined) res.setHeader('Retry-After', String(retry));
  sendJson(res, status.code, status);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
