import { describe, expect, it } from 'vitest';
import { CompactedError, StoreClosedError, WatcherOverflowError, type WatchEvent } from '../../pkg/store/index.ts';
import { FakeClock } from './fake-clock.ts';
import { brief, iterate, rejection, take, type Harness } from './harness.ts';

export function watchSuite(h: Harness): void {
  describe('watch', () => {
    it('delivers puts and deletes under the prefix in revision order with prevKv', async () => {
      const s = await h.open();
      const start = s.currentRevision();
      const it = iterate(s, '/w/', start);
      const a = await s.create('/w/a', '1');
      await s.create('/x/outside', 'no');
      await s.update('/w/a', '2', a.modRevision);
      await s.create('/w/b', 'b');
      await s.delete('/w/a');
      const events = await take(it, 4);
      expect(events.map(brief)).toEqual([
        `put /w/a 1@${start + 1}`,
        `put /w/a 2@${start + 3} (was 1@${start + 1})`,
        `put /w/b b@${start + 4}`,
        `delete /w/a @${start + 5}`,
      ]);
      const del = events[3] as Extract<WatchEvent, { type: 'delete' }>;
      expect(del.kv).toEqual({ key: '/w/a', value: '2', createRevision: start + 1, modRevision: start + 5, version: 0 });
      expect(del.prevKv).toMatchObject({ value: '2', modRevision: start + 3, version: 2 });
      await it.return!();
    });

    it('replays history from a past revision, then continues live without gaps', async () => {
      const s = await h.open();
      const kvs = [];
      for (let i = 0; i < 5; i++) kvs.push(await s.create(`/r/${i}`, String(i)));
      const it = iterate(s, '/r/', kvs[1].modRevision);
      const live = s.create('/r/5', '5');
      const events = await take(it, 4);
      expect(events.map((e) => (e.type === 'put' ? e.kv.key : e.type))).toEqual(['/r/2', '/r/3', '/r/4', '/r/5']);
      expect((events[3] as Extract<WatchEvent, { type: 'put' }>).kv).toEqual(await live);
    });

    it('replays from storage when the in-memory ring does not reach back', async () => {
      const s = await h.open({ historyRingSize: 10 });
      const start = s.currentRevision();
      let kv = await s.create('/ring/k', '0');
      for (let i = 1; i < 60; i++) {
        kv = await s.update('/ring/k', String(i), kv.modRevision);
        await s.create(`/ring/other/${i}`, 'x');
      }
      const events = await take(iterate(s, '/ring/k', start), 60);
      expect(events.map((e) => (e.type === 'put' ? e.kv.value : '?'))).toEqual(Array.from({ length: 60 }, (_, i) => String(i)));
      events.forEach((e, i) => {
        if (e.type !== 'put') throw new Error('expected puts');
        expect(e.prevKv?.value).toBe(i === 0 ? undefined : String(i - 1));
        expect(e.kv.version).toBe(i + 1);
      });
    });

    it('serves many watchers of different prefixes', async () => {
      const s = await h.open();
      const start = s.currentRevision();
      const its = Array.from({ length: 50 }, (_, i) => iterate(s, i % 2 ? '/odd/' : '/', start));
      await s.create('/odd/1', 'x');
      await s.create('/even/2', 'y');
      const got = await Promise.all(its.map((it, i) => take(it, i % 2 ? 1 : 2)));
      got.forEach((events, i) => expect(events.map(brief)).toEqual(i % 2 ? [`put /odd/1 x@${start + 1}`] : [`put /odd/1 x@${start + 1}`, `put /even/2 y@${start + 2}`]));
    });

    it('skips revisions up to a future afterRevision', async () => {
      const s = await h.open();
      const it = iterate(s, '/f/', s.currentRevision() + 2);
      await s.create('/f/1', '1');
      await s.create('/f/2', '2');
      await s.create('/f/3', '3');
      expect((await take(it, 1)).map(brief)).toEqual([`put /f/3 3@${s.currentRevision()}`]);
    });

    it('throws CompactedError for a start below the compaction point', async () => {
      const s = await h.open();
      const a = await s.create('/c/a', '1');
      const b = await s.update('/c/a', '2', a.modRevision);
      const c = await s.update('/c/a', '3', b.modRevision);
      await s.compact(b.modRevision);
      const err = await rejection(iterate(s, '/c/', a.modRevision).next());
      expect(err).toBeInstanceOf(CompactedError);
      expect(err).toMatchObject({ compactRevision: b.modRevision });
      const ok = await take(iterate(s, '/c/', b.modRevision), 1);
      expect(ok[0]).toEqual({ type: 'put', kv: c, prevKv: b });
    });

    it('ends a replay that compaction overtakes with CompactedError', async () => {
      const s = await h.open({ historyRingSize: 10 });
      const start = s.currentRevision();
      let kv = await s.create('/slow/k', '0');
      for (let i = 1; i < 3000; i++) kv = await s.update(kv.key, String(i), kv.modRevision);
      const it = iterate(s, '/slow/', start);
      expect((await take(it, 1))[0]).toMatchObject({ type: 'put', kv: { value: '0' } });
      await s.compact(s.currentRevision());
      let delivered = 1;
      const err = await (async () => {
        for (;;) {
          try {
            await it.next();
            delivered++;
          } catch (e) {
            return e;
          }
        }
      })();
      expect(err).toBeInstanceOf(CompactedError);
      expect(delivered).toBeLessThan(3000);
    });

    it('sends progress notifications when idle', async () => {
      const clock = new FakeClock();
      const s = await h.open({ clock });
      await s.create('/p/a', '1');
      const it = iterate(s, '/p/', s.currentRevision(), { progressIntervalMs: 1000 });
      const first = it.next();
      clock.advance(999);
      await s.create('/elsewhere', 'x');
      clock.advance(1);
      expect((await first).value).toEqual({ type: 'progress', revision: s.currentRevision() });
      const second = it.next();
      const kv = await s.create('/p/b', '2');
      expect((await second).value).toMatchObject({ type: 'put', kv });
      const third = it.next();
      clock.advance(1000);
      expect((await third).value).toEqual({ type: 'progress', revision: kv.modRevision });
    });

    it('cuts off a watcher that falls behind, without slowing writers', async () => {
      const s = await h.open({ watchQueueLimit: 50 });
      const slow = iterate(s, '/s/', s.currentRevision());
      const fast = iterate(s, '/s/', s.currentRevision());
      const fastSeen = take(fast, 200);
      for (let i = 0; i < 200; i++) await s.create(`/s/${i}`, 'v');
      expect(await fastSeen).toHaveLength(200);
      const err = await rejection(slow.next());
      expect(err).toBeInstanceOf(WatcherOverflowError);
      expect(err.code).toBe('ERR_STORE_WATCHER_OVERFLOW');
      expect(await slow.next()).toEqual({ done: true, value: undefined });
      expect((await s.stats()).watchers).toBe(1);
    });

    it('ends on abort, on break and on close, releasing the subscription', async () => {
      const s = await h.open();
      const ac = new AbortController();
      const seen: string[] = [];
      const loop = (async () => {
        for await (const e of s.watch('/a/', s.currentRevision(), { signal: ac.signal })) seen.push(brief(e));
      })();
      await s.create('/a/1', 'x');
      while (seen.length === 0) await new Promise((r) => setImmediate(r));
      ac.abort();
      await loop;
      const broken = (async () => {
        for await (const _ of s.watch('/a/', 0, { signal: new AbortController().signal })) break;
      })();
      await broken;
      expect((await s.stats()).watchers).toBe(0);
      const pending = iterate(s, '/a/', s.currentRevision()).next();
      await s.close();
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(() => s.watch('/a/', 0, { signal: ac.signal })[Symbol.asyncIterator]()).toThrow(StoreClosedError);
      expect(seen).toHaveLength(1);
    });
  });
}
