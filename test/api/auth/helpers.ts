import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { httpsOptions } from '../../../pkg/api/auth/index.ts';
import type { Pki } from '../../../pkg/api/auth/index.ts';

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh temporary directory, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-auth-'));
  dirs.push(dir);
  return dir;
}

/** An HTTPS server on 127.0.0.1 with the API's TLS options, closed after the test. */
export async function serve(pki: Pki, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; port: number }> {
  const server = createServer(httpsOptions(pki), handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}`, port };
}

export interface CallOptions {
  ca: string;
  cert?: string;
  key?: string;
  token?: string;
  host?: string;
}

/** One GET over a new connection; resolves with the status and the body text. */
export function get(url: string, path: string, opts: CallOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      {
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        servername: opts.host,
        headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
