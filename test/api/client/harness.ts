import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpsClient, inProcessClient, type Client, type HttpsClient } from '../../../pkg/api/client/index.ts';
import { createApiHandler } from '../../../pkg/api/registry/index.ts';
import { resources } from '../../../pkg/api/resources/index.ts';
import { apiServer, type ApiServer } from '../../../pkg/api/server/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { openStore, type Store } from '../../../pkg/store/index.ts';
import { silentLogger } from '../../../pkg/util/index.ts';

/** One running cluster API and a Client to it; `close()` tears everything down. */
export interface Harness {
  client: Client;
  store: Store;
  close(): Promise<void>;
}

export type Setup = () => Promise<Harness>;

/** The in-process client over a registry on a memory store, with namespace `default`. */
export async function inProcessHarness(): Promise<Harness> {
  const store = await openStore('memory:', { compactIntervalMs: 0 });
  const handler = createApiHandler({ store, resources });
  const client = inProcessClient(handler, resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  return {
    client,
    store,
    async close() {
      await handler.close();
      await store.close();
    },
  };
}

export interface HttpsHarness extends Harness {
  client: HttpsClient;
  server: ApiServer;
  /** An in-process client over the same server's handler, to compare the two on one cluster. */
  inProcess: Client;
  dataDir: string;
}

/** A real apiServer component on 127.0.0.1:<random> over a memory store; the client reads its admin kubeconfig. */
export async function httpsHarness(): Promise<HttpsHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-client-'));
  const store = await openStore('memory:', { compactIntervalMs: 0 });
  const server = apiServer({ dataDir, port: 0, bindAddress: '127.0.0.1', hostnames: [], ips: [], resources, store: () => store, log: silentLogger });
  const ac = new AbortController();
  await server.start(ac.signal);
  const client = httpsClient({ kubeconfig: server.kubeconfigPath! });
  return {
    client,
    store,
    server,
    dataDir,
    inProcess: inProcessClient(server.handler!, resources),
    async close() {
      client.close();
      ac.abort();
      await server.stop?.();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** A fresh namespace per test, so tests sharing one cluster do not see each other's objects. */
export async function freshNamespace(client: Client): Promise<string> {
  const name = `t${++seq}-${Math.random().toString(36).slice(2, 7)}`;
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name } });
  return name;
}

export const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

export const deployment = (name: string, replicas = 1): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
  },
});

/** Resolves with the StatusError's Status (fails when the promise resolves or rejects otherwise). */
export async function statusOf(p: Promise<unknown>): Promise<Record<string, unknown> & { code: number; reason?: string; message?: string }> {
  try {
    await p;
  } catch (err) {
    const status = (err as { status?: { code: number } }).status;
    if (!status || (err as Error).name !== 'StatusError') throw err;
    return status as Record<string, unknown> & { code: number };
  }
  throw new Error('expected a StatusError');
}

/**
 * Things that happened, in order, with waits on conditions instead of time: `until(pred)`
 * resolves as soon as the log satisfies `pred` (checked on every push), failing after `ms`.
 */
export class Recorder<T = string> {
  readonly entries: T[] = [];
  private waiters: Array<{ pred: (e: T[]) => boolean; resolve: () => void }> = [];

  push(e: T): void {
    this.entries.push(e);
    for (const w of [...this.waiters]) {
      if (w.pred(this.entries)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve();
      }
    }
  }

  until(pred: (entries: T[]) => boolean, ms = 20_000): Promise<void> {
    if (pred(this.entries)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`condition not met within ${ms} ms; entries: ${JSON.stringify(this.entries)}`)), ms);
      this.waiters.push({ pred, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  /** Resolves when `n` entries have been recorded since `from`. */
  count(n: number, from = 0): Promise<void> {
    return this.until((e) => e.length - from >= n);
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** A promise with its resolver, to hold a step back until a test releases it. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}
