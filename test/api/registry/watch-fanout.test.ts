import { describe, expect, it } from 'vitest';
import { cluster, configMap, configmaps, deployments, events, eventsV1, namespaces, settle, take } from './fixtures.ts';

describe('createApiHandler watch fan-out', () => {
  it('serves 100 watchers from one store subscription', async () => {
    const c = await cluster();
    await c.create(namespaces, undefined, { metadata: { name: 'other' } });
    const watchers = await Promise.all(Array.from({ length: 100 }, (_, i) => c.watch(configmaps, i % 2 ? 'default' : undefined, { resourceVersion: String(c.store.currentRevision()) })));
    for (let i = 0; i < 10; i++) await c.create(configmaps, 'default', configMap(`cm${i}`));
    await c.create(configmaps, 'other', configMap('elsewhere'));
    for (const [i, w] of watchers.entries()) {
      const evs = await take(w, i % 2 ? 10 : 11);
      expect(evs.map((e) => e.object.metadata.name)).toEqual([...Array.from({ length: 10 }, (_, j) => `cm${j}`), ...(i % 2 ? [] : ['elsewhere'])]);
    }
    expect(c.store.watchCalls).toBe(1);
    expect(c.store.activeWatches).toBe(1);
  });

  it('shares a subscription between kinds stored together and keeps resources apart', async () => {
    const c = await cluster();
    const core = await c.watch(events, 'default');
    const v1 = await c.watch(eventsV1, 'default');
    await c.watch(deployments, 'default');
    await c.watch(configmaps, 'default');
    await settle();
    expect(c.store.watchCalls).toBe(3);
    await c.create(events, 'default', { metadata: { name: 'e' }, message: 'boo' });
    const [a] = await take(core, 1);
    const [b] = await take(v1, 1);
    expect(a.object).toMatchObject({ apiVersion: 'v1', message: 'boo' });
    expect(b.object).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'boo' });
  });

  it('decodes an event once however many watchers receive it', async () => {
    const c = await cluster();
    const ws = await Promise.all(Array.from({ length: 20 }, () => c.watch(configmaps, 'default', { resourceVersion: '1' })));
    await c.create(configmaps, 'default', configMap('one'));
    const objects = new Set((await Promise.all(ws.map((w) => take(w, 1)))).map(([e]) => e.object));
    expect(objects.size).toBe(1);
  });
});
