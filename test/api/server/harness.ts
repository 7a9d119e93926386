import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { resources } from '../../../pkg/api/resources/index.ts';
import { apiServer, type ApiServer } from '../../../pkg/api/server/index.ts';
import { openStore, type Store } from '../../../pkg/store/index.ts';
import { silentLogger } from '../../../pkg/util/index.ts';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: Record<string, any> | undefined;
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
}

/** A real apiServer component over a memory store on 127.0.0.1:<random>, and raw HTTPS to it as the admin. */
export interface ServerHarness {
  server: ApiServer;
  store: Store;
  request(path: string, init?: RequestInit): Promise<Reply>;
  /** Starts a request and hands back the live response (for watch streams); destroy it when done. */
  open(path: string, init?: RequestInit): Promise<IncomingMessage>;
  /** The same, with no client certificate. */
  anonymous(path: string): Promise<Reply>;
  close(): Promise<void>;
}

export async function startApiServer(): Promise<ServerHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-http-'));
  const store = await openStore('memory:', { compactIntervalMs: 0 });
  const server = apiServer({ dataDir, port: 0, bindAddress: '127.0.0.1', hostnames: [], ips: [], resources, store: () => store, log: silentLogger });
  const ac = new AbortController();
  await server.start(ac.signal);
  const cfg = load(readFileSync(server.kubeconfigPath!, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const url = new URL(cfg.clusters[0].cluster.server);
  const tls = { ca: b64(cfg.clusters[0].cluster['certificate-authority-data']), cert: b64(cfg.users[0].user['client-certificate-data']), key: b64(cfg.users[0].user['client-key-data']) };

  const open = (path: string, init: RequestInit = {}, withCert = true): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const headers = { ...init.headers };
      if (init.body !== undefined && headers['Transfer-Encoding'] === undefined) headers['Content-Length'] = Buffer.byteLength(init.body);
      const opts: RequestOptions = {
        host: url.hostname, port: url.port, path, method: init.method ?? 'GET', headers, agent: false,
        ca: tls.ca, ...(withCert ? { cert: tls.cert, key: tls.key } : {}),
      };
      const req = httpsRequest(opts, resolve);
      req.on('error', reject);
      req.end(init.body);
    });
  const read = async (res: IncomingMessage): Promise<Reply> => {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let json: Record<string, any> | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode!, headers: res.headers, text, json };
  };
  return {
    server,
    store,
    open: (path, init) => open(path, init),
    request: async (path, init) => read(await open(path, init)),
    anonymous: async (path) => read(await open(path, {}, false)),
    async close() {
      ac.abort();
      await server.stop?.();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** JSON body helpers. */
export const json = (body: unknown, contentType = 'application/json'): RequestInit => ({ body: JSON.stringify(body), headers: { 'Content-Type': contentType } });
export const post = (body: unknown, contentType?: string): RequestInit => ({ method: 'POST', ...json(body, contentType) });

/**
 * Reads a watch stream line by line. `next()` resolves with the next event, parsed; every line must
 * be exactly one JSON object. `ended` resolves when the server ends the response.
 */
export function lines(res: IncomingMessage): { next(): Promise<Record<string, any>>; raw: string[]; ended: Promise<void> } {
  const raw: string[] = [];
  const queue: Record<string, any>[] = [];
  const waiters: Array<(v: Record<string, any>) => void> = [];
  let buf = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buf += chunk;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      raw.push(line);
      const ev = JSON.parse(line) as Record<string, any>;
      const w = waiters.shift();
      if (w) w(ev);
      else queue.push(ev);
    }
  });
  const ended = new Promise<void>((resolve) => res.on('end', () => resolve()));
  return {
    raw,
    ended,
    next: () => {
      const ev = queue.shift();
      if (ev) return Promise.resolve(ev);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no watch event; lines so far: ${raw.join('\n')}`)), 10_000);
        waiters.push((v) => (clearTimeout(t), resolve(v)));
      });
    },
  };
}

export const configMap = (name: string, namespace = 'default', labels: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data: { k: 'v' },
});
