import { Agent, request as httpsRequest } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { skiffVersion } from '../../util/index.ts';
import type { KubeconfigCredentials } from '../auth/index.ts';
import { responseError, transportError } from './errors.ts';
import { JsonLines } from './json-lines.ts';

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/v1/namespaces/default/pods?limit=500`. */
  path: string;
  body?: unknown;
  contentType?: string;
}

/**
 * HTTPS to one API server as one user: keep-alive connections, JSON bodies, every failure a
 * StatusError (errors.ts). The server is verified against the cluster CA only.
 */
export class HttpsTransport {
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly headers: Record<string, string>;

  constructor(creds: KubeconfigCredentials) {
    this.base = new URL(creds.server);
    this.agent = new Agent({ keepAlive: true, ca: creds.caCert, cert: creds.clientCert, key: creds.clientKey });
    this.headers = { Accept: 'application/json', 'User-Agent': `skiff/${skiffVersion}` };
    if (creds.token) this.headers.Authorization = `Bearer ${creds.token}`;
  }

  /** One request; resolves with the decoded JSON body of a 2xx answer. */
  async request(r: TransportRequest): Promise<unknown> {
    const url = this.url(r.path);
    let res: IncomingMessage;
    let raw: string;
    try {
      res = await this.send(this.open(r.method, url, r.contentType), r.body);
      raw = await readText(res);
    } catch (err) {
      throw transportError(err, r.method, url.href);
    }
    const body = parseJson(raw);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299 || body === undefined) throw responseError(code < 200 || code > 299 ? code : 500, body, raw);
    return body;
  }

  /**
   * A streaming GET whose body is JSON lines (a watch). Values are yielded as they arrive. Ends
   * quietly when `signal` aborts (the request is destroyed), when the server ends the stream, or
   * when the connection drops mid-stream (as client-go's StreamWatcher: the caller re-watches).
   */
  async *stream(path: string, signal: AbortSignal): AsyncGenerator<unknown> {
    if (signal.aborted) return;
    const url = this.url(path);
    const req = this.open('GET', url);
    const onAbort = () => req.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let res: IncomingMessage;
      try {
        res = await this.send(req);
      } catch (err) {
        if (signal.aborted) return;
        throw transportError(err, 'GET', url.href);
      }
      if (res.statusCode !== 200) {
        const raw = await readText(res).catch(() => '');
        if (signal.aborted) return;
        throw responseError(res.statusCode ?? 500, parseJson(raw), raw);
      }
      const lines = new JsonLines();
      try {
        for await (const chunk of res) for (const v of lines.push(chunk as Buffer)) yield v;
      } catch {
        return;
      }
      for (const v of lines.end()) yield v;
    } finally {
      signal.removeEventListener('abort', onAbort);
      req.destroy();
    }
  }

  /** Closes idle keep-alive connections; open watches end. */
  close(): void {
    this.agent.destroy();
  }

  private url(path: string): URL {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return new URL(`${this.base.origin}${prefix}${path}`);
  }

  private open(method: string, url: URL, contentType?: string): ClientRequest {
    const headers = contentType ? { ...this.headers, 'Content-Type': contentType } : this.headers;
    return httpsRequest(url, { method, agent: this.agent, headers });
  }

  private send(req: ClientRequest, body?: unknown): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      req.once('response', resolve);
      // `on`, not `once`: a request can report a second error (a reset after a failed write), and an unheard one would crash the process.
      req.on('error', reject);
      if (body === undefined) return void req.end();
      // Always a Content-Length: Node sends a DELETE body neither chunked nor sized by default, so
      // the server would read it as the start of the next request on the connection.
      const text = JSON.stringify(body);
      req.setHeader('Content-Length', Buffer.byteLength(text));
      req.end(text);
    });
  }
}

async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  if (!raw.trim()) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
