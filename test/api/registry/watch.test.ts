import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../../pkg/api/types/index.ts';
import type { Store } from '../../../pkg/store/index.ts';
import { admin, brief, cluster, configMap, configmaps, delegating, deployments, namespaces, settle, take } from './fixtures.ts';

describe('createApiHandler watch', () => {
  it('starts with the current state as ADDED, then every change', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('a'));
    await c.create(configmaps, 'default', configMap('b'));
    const w = await c.watch(configmaps, 'default');
    const cm = await c.create(configmaps, 'default', configMap('c'));
    await c.patch(configmaps, 'default', 'a', { data: { k: 'v' } });
    const deleted = await c.remove(configmaps, 'default', 'b');
    const evs = await take(w, 5);
    expect(evs.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b', 'ADDED c', 'MODIFIED a', 'DELETED b']);
    expect(evs[2].object).toEqual(cm);
    expect(evs[3].object.data).toEqual({ k: 'v' });
    // DELETED carries the last state at the delete's revision.
    expect(evs[4].object).toEqual(deleted);
    expect(evs.every((e) => e.object.apiVersion === 'v1' && e.object.kind === 'ConfigMap')).toBe(true);
    expect(Object.isFrozen(evs[3].object)).toBe(true);
  });

  it('has no gap and no duplicate when writes land between the initial list and the subscription', async () => {
    let slowLists = false;
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    // Lets several commits (and their dispatch by the watch cache) happen after the list was read.
    const wrap = (s: Store): Store =>
      delegating(s, {
        list: async (...a) => {
          const res = await s.list(...a);
          if (slowLists) for (let i = 0; i < 5; i++) await turn();
          return res;
        },
      });
    const c = await cluster({ wrap });
    for (let i = 0; i < 20; i++) await c.create(configmaps, 'default', configMap(`pre${i}`));
    await (await c.watch(configmaps, 'default')).return!(); // the watch cache is running
    slowLists = true;
    const watching = c.watch(configmaps, 'default');
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      writes.push(i % 3 === 2 ? c.remove(configmaps, 'default', `pre${i % 20}`) : c.create(configmaps, 'default', configMap(`new${i}`)));
      if (i % 5 === 0) await turn();
    }
    const w = await watching;
    await Promise.all(writes);
    await c.create(configmaps, 'default', configMap('last'));
    const state = new Map<string, string>();
    for (;;) {
      const [e] = await take(w, 1);
      const name = e.object.metadata.name!;
      expect(state.has(name), `${e.type} ${name}`).toBe(e.type !== 'ADDED');
      if (e.type === 'DELETED') state.delete(name);
      else state.set(name, e.object.metadata.resourceVersion!);
      if (name === 'last') break;
    }
    slowLists = false;
    const list = await c.list(configmaps, 'default');
    expect(state).toEqual(new Map(list.items.map((i) => [i.metadata.name!, i.metadata.resourceVersion!])));
  });

  it('resumes after a resourceVersion', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('a'));
    const b = await c.create(configmaps, 'default', configMap('b'));
    await c.create(configmaps, 'default', configMap('c'));
    const w = await c.watch(configmaps, 'default', { resourceVersion: b.metadata.resourceVersion });
    await c.remove(configmaps, 'default', 'a');
    expect((await take(w, 2)).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED c', 'DELETED a']);
  });

  it('filters by namespace and turns selector transitions into ADDED/DELETED', async () => {
    const c = await cluster();
    await c.create(namespaces, undefined, { metadata: { name: 'other' } });
    const w = await c.watch(configmaps, 'default', { labelSelector: 'app=web' });
    const all = await c.watch(configmaps, undefined, { fieldSelector: 'metadata.name=x' });
    await c.create(configmaps, 'other', configMap('x', {}, { app: 'web' }));
    const x = await c.create(configmaps, 'default', configMap('x', {}, { app: 'web' }));
    const moved = await c.patch(configmaps, 'default', 'x', { metadata: { labels: { app: 'db' } } });
    await c.patch(configmaps, 'default', 'x', { data: { ignored: 'yes' } });
    await c.patch(configmaps, 'default', 'x', { metadata: { labels: { app: 'web' } } });
    await c.remove(configmaps, 'default', 'x');
    const evs = await take(w, 4);
    expect(evs.map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED', 'DELETED']);
    // Leaving the selector: the previous state, at the change's revision.
    expect(evs[1].object.metadata.labels).toEqual({ app: 'web' });
    expect(evs[1].object.metadata.uid).toBe(x.metadata.uid);
    expect(evs[1].object.metadata.resourceVersion).toBe(moved.metadata.resourceVersion);
    const everywhere = await take(all, 6);
    expect(everywhere.map((e) => `${e.type} ${e.object.metadata.namespace}`)).toEqual(['ADDED other', 'ADDED default', 'MODIFIED default', 'MODIFIED default', 'MODIFIED default', 'DELETED default']);
  });

  it('sends bookmarks at the freshest safe revision when allowed', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('a'));
    const w = await c.watch(configmaps, 'default', { allowWatchBookmarks: true });
    const silent = await c.watch(configmaps, 'default');
    await take(w, 1);
    await take(silent, 1);
    // A write to another resource moves the store revision; the bookmark reports it.
    await c.create(deployments, 'default', { metadata: { name: 'd' }, spec: { selector: {} } });
    await settle();
    c.clock.advance(60_000);
    const [bm] = await take(w, 1);
    expect(bm).toEqual({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: String(c.store.currentRevision()) } } });
    await c.create(configmaps, 'default', configMap('b'));
    expect(brief((await take(silent, 1))[0])).toBe(`ADDED b@${c.store.currentRevision()}`);
  });

  it('ends at timeoutSeconds, with a bookmark just before', async () => {
    const c = await cluster();
    const w = await c.watch(configmaps, 'default', { timeoutSeconds: 10, allowWatchBookmarks: true, resourceVersion: String(c.store.currentRevision()) });
    c.clock.advance(8_000);
    expect((await take(w, 1))[0].type).toBe('BOOKMARK');
    c.clock.advance(2_000);
    expect(await w.next()).toEqual({ done: true, value: undefined });
  });

  it('ends when its signal aborts or the consumer returns', async () => {
    const c = await cluster();
    const a = new AbortController();
    const it = (await c.api.watch({ verb: 'watch', def: configmaps, namespace: 'default', options: { signal: a.signal } }, admin))[Symbol.asyncIterator]();
    const pending = it.next();
    a.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    const w = await c.watch(configmaps, 'default');
    await w.return!();
    await c.create(configmaps, 'default', configMap('late'));
    expect(await w.next()).toEqual({ done: true, value: undefined });
  });

  it('answers a resourceVersion older than the ring with one 410 ERROR event', async () => {
    const c = await cluster({ tuning: { watchCacheSize: 5 } });
    const first = await c.create(configmaps, 'default', configMap('first'));
    const w0 = await c.watch(configmaps, 'default', { resourceVersion: first.metadata.resourceVersion });
    for (let i = 0; i < 12; i++) await c.create(configmaps, 'default', configMap(`cm${i}`));
    await take(w0, 12);
    const w = await c.watch(configmaps, 'default', { resourceVersion: first.metadata.resourceVersion });
    const [ev] = await take(w, 1);
    expect(ev.type).toBe('ERROR');
    expect(ev.object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    expect((ev.object as unknown as { message: string }).message).toMatch(new RegExp(`^too old resource version: ${first.metadata.resourceVersion} \\(\\d+\\)$`));
    expect(await w.next()).toEqual({ done: true, value: undefined });
  });

  it('answers 410 for a revision compacted before the first watch', async () => {
    const c = await cluster();
    const a = await c.create(configmaps, 'default', configMap('a'));
    await c.create(configmaps, 'default', configMap('b'));
    await c.store.compact(c.store.currentRevision());
    const w = await c.watch(configmaps, 'default', { resourceVersion: a.metadata.resourceVersion });
    const [ev] = await take(w, 1);
    expect((ev.object as unknown as { message: string }).message).toBe(`too old resource version: ${a.metadata.resourceVersion} (${c.store.currentRevision()})`);
  });

  it('cuts off a slow consumer without holding up the others', async () => {
    const c = await cluster({ tuning: { watcherBufferSize: 10 } });
    const slow = await c.watch(configmaps, 'default');
    const fast = await c.watch(configmaps, 'default');
    const seen: WatchEvent[] = [];
    const reading = (async () => {
      while (seen.length < 30) seen.push(...(await take(fast, 1)));
    })();
    for (let i = 0; i < 30; i++) await c.create(configmaps, 'default', configMap(`cm${i}`));
    await reading;
    expect(seen.map((e) => e.object.metadata.name)).toEqual(Array.from({ length: 30 }, (_, i) => `cm${i}`));
    expect(await slow.next()).toEqual({ done: true, value: undefined });
  });

  it('ends every watch and releases the store subscription on close', async () => {
    const c = await cluster();
    const w = await c.watch(configmaps, 'default');
    await settle();
    expect(c.store.activeWatches).toBe(1);
    const pending = w.next();
    await c.api.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    await settle();
    expect(c.store.activeWatches).toBe(0);
    const after = await c.watch(configmaps, 'default');
    expect(await after.next()).toEqual({ done: true, value: undefined });
  });

  it('ends every watch when the store closes', async () => {
    const c = await cluster();
    const w = await c.watch(configmaps, 'default');
    const pending = w.next();
    await c.store.inner.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('accepts a resourceVersion ahead of the store and skips changes up to it', async () => {
    const c = await cluster();
    const ahead = c.store.currentRevision() + 2;
    const w = await c.watch(configmaps, 'default', { resourceVersion: String(ahead) });
    await c.create(configmaps, 'default', configMap('skipped1'));
    await c.create(configmaps, 'default', configMap('skipped2'));
    await c.create(configmaps, 'default', configMap('seen'));
    expect(brief((await take(w, 1))[0])).toBe(`ADDED seen@${ahead + 1}`);
  });

  it('rejects bad selectors before the stream starts', async () => {
    const c = await cluster();
    await expect(c.watch(configmaps, 'default', { fieldSelector: 'spec.x=1' })).rejects.toMatchObject({ status: { code: 400, message: '"spec.x" is not a known field selector: only "metadata.name", "metadata.namespace"' } });
  });
});
