import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import { controlLoops, garbageCollector, namespaceController, replicaSetController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  loops = controlLoops(() => client, [replicaSetController, garbageCollector, (c, inf, l) => namespaceController(c, inf, resources, l)], silentLogger);
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

describe('namespace controller', () => {
  it('empties a deleted namespace, then removes it', async () => {
    const c = await cluster();
    await c.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'doomed' } });
    await c.resource('v1', 'configmaps').create('doomed', { metadata: { name: 'cfg' }, data: { a: 'b' } });
    await c.resource('v1', 'secrets').create('doomed', { metadata: { name: 's' } });
    await c.resource('apps/v1', 'replicasets').create('doomed', {
      metadata: { name: 'rs' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    await until('pods made', async () => (await c.resource('v1', 'pods').list('doomed')).items.length === 2);
    const marked = await c.resource('v1', 'namespaces').delete(undefined, 'doomed');
    expect((marked.status as { phase?: string }).phase).toBe('Terminating');
    await until('namespace gone', async () => !(await c.resource('v1', 'namespaces').list(undefined)).items.some((n) => n.metadata.name === 'doomed'));
    for (const [v, p] of [['v1', 'configmaps'], ['v1', 'secrets'], ['v1', 'pods'], ['apps/v1', 'replicasets']] as const) {
      expect((await c.resource(v, p).list('doomed')).items, p).toEqual([]);
    }
  });
});
