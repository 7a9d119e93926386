import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { apiClient, type ApiClient } from './fuzz/client.ts';

/**
 * A keep-alive client that sends a large body right after an answer over 64 KiB, on the same
 * connection, as client-go does (a list or the OpenAPI document, then an apply). The server used
 * to drop such connections now and then (Node's parser failing with HPE_PAUSED on TLS).
 */
let s: TestServer;
let client: ApiClient;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
  client = apiClient(s.kubeconfig);
});
afterAll(async () => {
  client?.close();
  await s?.stop();
});

const json = { 'Content-Type': 'application/json' };
const configMap = (name: string) => Buffer.from(JSON.stringify({ metadata: { name }, data: { big: 'x'.repeat(70_000) } }));

describe.skipIf(!apiServed)(`keep-alive connections${untilServed}`, () => {
  it('survive large bodies right after large answers', async () => {
    const failures: string[] = [];
    for (let i = 0; i < 40; i++) {
      for (const [method, path, body] of [
        ['POST', '/api/v1/namespaces/default/configmaps', configMap(`big-${i}`)],
        ['POST', '/api/v1/namespaces/default/configmaps?dryRun=All', configMap('dry')],
      ] as const) {
        try {
          const r = await client.send(method, path, json, body);
          if (r.status !== 201) failures.push(`${i} ${path}: ${r.status}`);
        } catch (err) {
          failures.push(`${i} ${path}: ${(err as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
