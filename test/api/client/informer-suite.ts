import { describe, expect, it } from 'vitest';
import { createInformer, createInformerFactory, type Client, type Informer, type ResourceClient } from '../../../pkg/api/client/index.ts';
import { StatusError } from '../../../pkg/api/status.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { FakeClock } from '../../store/fake-clock.ts';
import { configMap, freshNamespace, gate, Recorder, type Harness, type Setup } from './harness.ts';

/** Every handler call as text: `add a`, `update a 5->7`, `delete a`. */
function record(inf: Informer, rec = new Recorder()): Recorder {
  inf.addHandler({
    onAdd: (o) => rec.push(`add ${o.metadata.name}`),
    onUpdate: (a, b) => rec.push(`update ${b.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
    onDelete: (o) => rec.push(`delete ${o.metadata.name}`),
  });
  return rec;
}

/** Lets every queued promise reaction run (they all run before the next macrotask). */
const afterMicrotasks = () => new Promise<void>((r) => setImmediate(r));

const names = (objs: KObject[]) => objs.map((o) => o.metadata.name).sort();

export function informerSuite(getHarness: () => Harness, setup: Setup): void {
  describe('createInformer', () => {
    it('syncs, keeps an indexed cache and notifies adds, updates and deletes', async () => {
      const client: Client = getHarness().client;
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      await cms.create(ns, configMap('a', { k: '1' }, { tier: 'fe' }));
      await cms.create(ns, configMap('b', {}, { tier: 'be' }));
      const other = await freshNamespace(client);
      await cms.create(other, configMap('elsewhere'));

      const inf = createInformer(cms, { namespace: ns, apiVersion: 'v1', plural: 'configmaps', pageSize: 1 });
      const rec = record(inf);
      expect(inf.hasSynced()).toBe(false);
      inf.start();
      expect(await inf.waitForSync()).toBe(true);
      expect(inf.hasSynced()).toBe(true);
      expect([...rec.entries].sort()).toEqual(['add a', 'add b']);
      expect(inf.get(`${ns}/a`)?.data).toEqual({ k: '1' });
      expect(inf.keys().sort()).toEqual([`${ns}/a`, `${ns}/b`]);
      expect(names(inf.byIndex('namespace', ns))).toEqual(['a', 'b']);
      expect(inf.byIndex('namespace', other)).toEqual([]);
      inf.addIndexer('tier', (o) => [o.metadata.labels?.tier ?? '']);
      expect(names(inf.byIndex('tier', 'fe'))).toEqual(['a']);
      expect(() => inf.byIndex('nope', 'x')).toThrow(/does not exist/);
      const cached = inf.get(`${ns}/a`)!;
      expect(() => {
        (cached.data as Record<string, string>).k = 'changed';
      }).toThrow(TypeError);

      rec.clear();
      const a = await cms.get(ns, 'a');
      await cms.create(ns, configMap('c'));
      const a2 = await cms.update(ns, { ...a, metadata: { ...a.metadata, labels: { tier: 'be' } } });
      await cms.delete(ns, 'b');
      await rec.count(3);
      expect(rec.entries).toEqual(['add c', `update a ${a.metadata.resourceVersion}->${a2.metadata.resourceVersion}`, 'delete b']);
      expect(names(inf.byIndex('tier', 'be'))).toEqual(['a']);
      expect(inf.byIndex('tier', 'fe')).toEqual([]);
      expect(names(inf.list())).toEqual(['a', 'c']);

      // A late handler first gets the cached objects as adds, synchronously.
      const late: string[] = [];
      const remove = inf.onAdd((o) => late.push(o.metadata.name!));
      expect(late.sort()).toEqual(['a', 'c']);
      remove();
      await cms.create(ns, configMap('d'));
      await rec.until((e) => e.includes('add d'));
      expect(late).toHaveLength(2);

      await inf.stop();
      expect(await inf.waitForSync()).toBe(true);
    });

    it('stops delivering after stop()', async () => {
      const client = getHarness().client;
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      const stopped = createInformer(cms, { namespace: ns });
      const witness = createInformer(cms, { namespace: ns });
      const recStopped = record(stopped);
      const recWitness = record(witness);
      stopped.start();
      witness.start();
      await stopped.waitForSync();
      await witness.waitForSync();
      await cms.create(ns, configMap('one'));
      await recStopped.count(1);
      await recWitness.count(1);
      await stopped.stop();
      await cms.create(ns, configMap('two'));
      await recWitness.until((e) => e.includes('add two'));
      expect(recStopped.entries).toEqual(['add one']);
      await witness.stop();
    });

    it('relists after 410 Expired and notifies only what changed', async () => {
      // A cluster of its own: its watch cache must not exist yet when the informer first watches.
      const h = await setup();
      try {
        const real = h.client.resource('v1', 'configmaps');
        const firstWatch = gate();
        const watching = gate();
        let lists = 0;
        let watches = 0;
        // The real client, with the informer's first watch held back until the history it needs is compacted away.
        const cms: ResourceClient = {
          ...real,
          list: (ns, o) => (lists++, real.list(ns, o)),
          watch: (ns, o) =>
            (async function* () {
              watches++;
              watching.open();
              await firstWatch.promise;
              yield* real.watch(ns, o);
            })(),
        };
        const ns = 'default';
        await real.create(ns, configMap('a'));
        const b = await real.create(ns, configMap('b', { v: '0' }));
        await real.create(ns, configMap('c'));
        const inf = createInformer(cms, { namespace: ns });
        const rec = record(inf);
        inf.start();
        await inf.waitForSync();
        expect([...rec.entries].sort()).toEqual(['add a', 'add b', 'add c']);
        await watching.promise;
        rec.clear();

        await real.patch(ns, 'b', 'merge', { data: { v: '1' } });
        const b2 = await real.patch(ns, 'b', 'merge', { data: { v: '2' } });
        await real.delete(ns, 'c');
        await real.create(ns, configMap('d'));
        await real.create(ns, configMap('gone'));
        await real.delete(ns, 'gone');
        await h.store.compact(h.store.currentRevision());
        firstWatch.open();

        await rec.count(3);
        expect(rec.entries).toEqual([`update b ${b.metadata.resourceVersion}->${b2.metadata.resourceVersion}`, 'add d', 'delete c']);
        expect(lists).toBe(2);
        expect(names(inf.list())).toEqual(['a', 'b', 'd']);
        expect(inf.get(`${ns}/b`)?.data).toEqual({ v: '2' });

        // And it watches again from the relist.
        await real.create(ns, configMap('e'));
        await rec.until((e) => e.includes('add e'));
        expect(rec.entries).toHaveLength(4);
        expect(watches).toBe(2);
        await inf.stop();
      } finally {
        await h.close();
      }
    });

    it('re-watches from the last resourceVersion after the stream ends or fails, without relisting', async () => {
      const client = getHarness().client;
      const ns = await freshNamespace(client);
      const real = client.resource('v1', 'configmaps');
      const clock = new FakeClock();
      const watchedFrom = new Recorder<string | undefined>();
      let lists = 0;
      // The real client; its first watch ends after one event, its second fails as an unreachable server would.
      const cms: ResourceClient = {
        ...real,
        list: (n, o) => (lists++, real.list(n, o)),
        watch: (n, o) =>
          (async function* () {
            watchedFrom.push(o.resourceVersion);
            const call = watchedFrom.entries.length;
            if (call === 2) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'connection reset', reason: 'ServiceUnavailable', code: 503 });
            for await (const ev of real.watch(n, o)) {
              yield ev;
              if (call === 1) return;
            }
          })(),
      };
      const inf = createInformer(cms, { namespace: ns, timers: clock, backoff: { initialMs: 1000 } });
      const rec = record(inf);
      inf.start();
      await inf.waitForSync();
      const listRv = inf.resourceVersion;
      const one = await real.create(ns, configMap('one'));
      await rec.until((e) => e.includes('add one'));
      await watchedFrom.count(2);
      await afterMicrotasks();
      expect(clock.pendingTimers).toBe(1);
      await real.create(ns, configMap('two'));
      clock.advance(1000);
      await rec.until((e) => e.includes('add two'));
      expect(watchedFrom.entries).toEqual([listRv, one.metadata.resourceVersion, one.metadata.resourceVersion]);
      expect(rec.entries).toEqual(['add one', 'add two']);
      expect(lists).toBe(1);
      await inf.stop();
    });

    it('calls onUpdate(obj, obj) for every object each resync period', async () => {
      const client = getHarness().client;
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      const cm = await cms.create(ns, configMap('r'));
      const clock = new FakeClock();
      const inf = createInformer(cms, { namespace: ns, resyncMs: 30_000, timers: clock });
      const rec = record(inf);
      inf.start();
      await inf.waitForSync();
      clock.advance(29_999);
      expect(rec.entries).toEqual(['add r']);
      clock.advance(1);
      const rv = cm.metadata.resourceVersion;
      expect(rec.entries).toEqual(['add r', `update r ${rv}->${rv}`]);
      await inf.stop();
    });

    it('retries a failing list with exponential back-off, and reports no sync when aborted or stopped', async () => {
      const client = getHarness().client;
      const clock = new FakeClock();
      const real = client.resource('example.com/v1', 'widgets');
      const lists = new Recorder<number>();
      const widgets: ResourceClient = { ...real, list: (ns, o) => real.list(ns, o).finally(() => lists.push(clock.now())) };
      const inf = createInformer(widgets, { timers: clock, backoff: { initialMs: 1000, maxMs: 4000 } });
      inf.start();
      const ac = new AbortController();
      const waiting = inf.waitForSync(ac.signal);
      const start = clock.now();
      await lists.count(1);
      await afterMicrotasks();
      for (const [n, delay] of [[2, 1000], [3, 2000], [4, 4000], [5, 4000]] as const) {
        expect(clock.pendingTimers).toBe(1);
        clock.advance(delay - 1);
        await afterMicrotasks();
        expect(lists.entries).toHaveLength(n - 1);
        clock.advance(1);
        await lists.count(n);
        await afterMicrotasks();
      }
      expect(lists.entries.map((t) => t - start)).toEqual([0, 1000, 3000, 7000, 11000]);
      ac.abort();
      expect(await waiting).toBe(false);
      const untilStop = inf.waitForSync();
      await inf.stop();
      expect(await untilStop).toBe(false);
      expect(inf.hasSynced()).toBe(false);
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('createInformerFactory', () => {
    it('shares one informer per resource and selection, and starts and stops them together', async () => {
      const client = getHarness().client;
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      await cms.create(ns, configMap('x', {}, { app: 'one' }));
      await cms.create(ns, configMap('y', {}, { app: 'two' }));
      const factory = createInformerFactory(client);
      const all = factory.informer('v1', 'configmaps', { namespace: ns });
      expect(factory.informer('v1', 'configmaps', { namespace: ns })).toBe(all);
      const one = factory.informer('v1', 'configmaps', { namespace: ns, labelSelector: 'app=one' });
      expect(one).not.toBe(all);
      factory.start();
      expect(await factory.waitForSync()).toBe(true);
      expect(names(all.list())).toEqual(['x', 'y']);
      expect(names(one.list())).toEqual(['x']);
      // Made after start(): started at once.
      const byName = factory.informer('v1', 'configmaps', { namespace: ns, fieldSelector: 'metadata.name=y' });
      expect(await byName.waitForSync()).toBe(true);
      expect(names(byName.list())).toEqual(['y']);
      expect(byName.apiVersion).toBe('v1');
      expect(byName.plural).toBe('configmaps');
      await factory.stop();
    });
  });
}
