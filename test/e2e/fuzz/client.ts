import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { load } from 'js-yaml';

export interface RawReply {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface ApiClient {
  /** One HTTPS request as the admin; rejects on a transport failure (reset, refused, timeout). */
  send(method: string, path: string, headers?: Record<string, string>, body?: Buffer): Promise<RawReply>;
  json(method: string, path: string, body?: unknown): Promise<any>;
  close(): void;
}

/** A keep-alive HTTPS client with the admin client certificate of a kubeconfig. */
export function apiClient(kubeconfig: string, timeoutMs = 15_000): ApiClient {
  const cfg = load(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const url = new URL(cfg.clusters[0].cluster.server);
  const agent = new Agent({
    keepAlive: true, maxSockets: 8,
    ca: b64(cfg.clusters[0].cluster['certificate-authority-data']),
    cert: b64(cfg.users[0].user['client-certificate-data']), key: b64(cfg.users[0].user['client-key-data']),
  });
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) =>
    new Promise<RawReply>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path, method, agent, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) }, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  return {
    send,
    async json(method, path, body) {
      const r = await send(method, path, body === undefined ? {} : { 'Content-Type': 'application/json' }, body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
      return JSON.parse(r.body.toString());
    },
    close: () => agent.destroy(),
  };
}
