import { Agent, request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Endpoint } from './api-server.ts';

export interface Reply {
  status: number;
  body: string;
}

/** One keep-alive connection pool to the server, authenticated with the admin client cert. */
export function agentFor(e: Endpoint, maxSockets = Infinity): Agent {
  return new Agent({ keepAlive: true, maxSockets, ca: e.ca, cert: e.cert, key: e.key });
}

export function options(e: Endpoint, agent: Agent, method: string, path: string, headers: Record<string, string> = {}): RequestOptions {
  return { host: e.host, port: e.port, method, path, agent, ca: e.ca, cert: e.cert, key: e.key, headers: { Accept: 'application/json', ...headers } };
}

/** One request with the whole body read; never rejects on HTTP status, only on transport errors. */
export function call(e: Endpoint, agent: Agent, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const h = payload === undefined ? headers : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)), ...headers };
  return new Promise((resolve, reject) => {
    const req = request(options(e, agent, method, path, h), (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** `call` that throws unless the status is one of `ok`; the error shows the server's Status. */
export async function expect(e: Endpoint, agent: Agent, method: string, path: string, body?: unknown, headers?: Record<string, string>, ok = [200, 201]): Promise<Reply> {
  const r = await call(e, agent, method, path, body, headers);
  if (!ok.includes(r.status)) throw new Error(`${method} ${path} → ${r.status}: ${r.body.slice(0, 500)}`);
  return r;
}

/** Runs make(0..total-1) with `workers` concurrent loops, each awaiting its own request; returns ops/s. */
export async function concurrently(total: number, workers: number, make: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) await make(next++);
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

export const configMap = (namespace: string, name: string, data: Record<string, string> = { key: 'value' }) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data,
});

// One container, as the smallest pod kubectl run makes; labels/resources so the object is typical.
export const pod = (namespace: string, name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { app: 'bench', run: name } },
  spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});
