import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { bootstrapSecret, nodePasswordSecret } from '../../pkg/api/auth/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import { controlLoops, nodePasswordCleaner, tokenCleaner } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

// The memory store and a fake clock: the token cleaner judges expiry by `now`, never by sleeping.
let loops: Component | undefined;
afterEach(async () => loops?.stop?.());
const clock = Date.parse('2026-12-07T12:00:00Z');

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  for (const name of ['kube-system', 'default']) await client.resource('v1', 'namespaces').create(undefined, { metadata: { name } });
  loops = controlLoops(() => client, [(c, inf, l) => tokenCleaner(c, inf, l, () => clock), (c, inf, l) => nodePasswordCleaner(c, inf, l)], silentLogger);
  await loops.start(new AbortController().signal);
  return client;
}

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out`);
}
const settle = () => new Promise((r) => setTimeout(r, 100));

describe('tokenCleaner', () => {
  it('deletes bootstrap tokens whose expiration passed, keeps the others and other secrets', async () => {
    const c = await cluster();
    const secrets = c.resource('v1', 'secrets');
    const names = async () => (await secrets.list('kube-system')).items.map((s) => s.metadata.name).sort();
    await secrets.create('kube-system', bootstrapSecret({ id: 'abcdef', secret: '0123456789abcdef', expiration: new Date(clock - 1000) }));
    await secrets.create('kube-system', bootstrapSecret({ id: 'ghijkl', secret: '0123456789abcdef', expiration: new Date(clock + 3_600_000) }));
    await secrets.create('kube-system', bootstrapSecret({ id: 'mnopqr', secret: '0123456789abcdef' }));
    await secrets.create('kube-system', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad-expiry' }, type: 'bootstrap.kubernetes.io/token', stringData: { 'token-id': 'stuvwx', expiration: 'tomorrow' } });
    await secrets.create('kube-system', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'opaque' }, stringData: { expiration: '2000-01-01T00:00:00Z' } });
    await until('expired token deleted', async () => !(await names()).includes('bootstrap-token-abcdef'));
    await settle();
    expect(await names()).toEqual(['bad-expiry', 'bootstrap-token-ghijkl', 'bootstrap-token-mnopqr', 'opaque']);
  });
});

describe('nodePasswordCleaner', () => {
  it("deletes a node's password record when the Node is deleted, and only then", async () => {
    const c = await cluster();
    const secrets = c.resource('v1', 'secrets');
    const nodes = c.resource('v1', 'nodes');
    for (const n of ['pi-1', 'pi-2']) {
      await secrets.create('kube-system', nodePasswordSecret(n, 'x'.repeat(32)));
      await nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: n } });
    }
    // A record written at join, before its agent registered the Node, stays.
    await secrets.create('kube-system', nodePasswordSecret('pi-3', 'y'.repeat(32)));
    await nodes.delete(undefined, 'pi-1');
    const names = async () => (await secrets.list('kube-system')).items.map((s) => s.metadata.name).sort();
    await until('pi-1 record deleted', async () => !(await names()).includes('pi-1.node-password.skiff'));
    await settle();
    expect(await names()).toEqual(['pi-2.node-password.skiff', 'pi-3.node-password.skiff']);
  });
});
