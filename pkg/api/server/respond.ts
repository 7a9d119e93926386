import type { ServerResponse } from 'node:http';
import type { Status } from '../types/index.ts';
import { endPaced } from './paced-end.ts';
import { warningHeaders } from './warnings.ts';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', warnings?: string[]): void {
  const data = JSON.stringify(body);
  const headers: Record<string, string | string[] | number> = { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) };
  if (warnings?.length) headers.Warning = warningHeaders(warnings);
  res.writeHead(code, headers);
  endPaced(res, data);
}

export function sendStatus(res: ServerResponse, status: Status & { code: number }): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retry = status.details?.retryAfterSeconds;
  if (retry !== undefined) res.setHeader('Retry-After', String(retry));
  sendJson(res, status.code, wireStatus(status));
}

/**
 * A Status as Go's encoder writes it: Status and StatusDetails fields are `omitempty`, so a
 * core-group error carries no `"group":""` (clients compare details verbatim). An empty
 * `details` object stays, as upstream sends for unknown paths.
 */
function wireStatus<S extends Status>(status: S): S {
  const out: S = { ...status };
  for (const k of ['message', 'reason'] as const) if (out[k] === '') delete out[k];
  if (status.details) {
    const d = { ...status.details };
    for (const k of ['name', 'group', 'kind', 'uid'] as const) if (d[k] === '') delete d[k];
    if (d.causes?.length === 0) delete d.causes;
    out.details = d;
  }
  return out;
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  endPaced(res, text);
}
