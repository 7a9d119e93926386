import { describe, expect, it, vi } from 'vitest';
import { CompactedError } from '../../pkg/store/index.ts';
import { FakeClock } from './fake-clock.ts';
import { brief, iterate, rejection, take, type Harness } from './harness.ts';

export function ttlSuite(h: Harness): void {
  describe('ttl', () => {
    it('deletes a key when its TTL passes, with a delete event', async () => {
      const clock = new FakeClock();
      const s = await h.open({ clock });
      const kv = await s.create('/t/a', 'x', { ttlSeconds: 10 });
      expect(kv.expiresAt).toBe(clock.now() + 10_000);
      expect(await s.get('/t/a')).toEqual(kv);
      const it = iterate(s, '/t/', kv.modRevision);
      clock.advance(9_999);
      await s.create('/t/b', 'no ttl');
      expect(await s.get('/t/a')).toBeDefined();
      clock.advance(1);
      const events = await take(it, 2);
      expect(events.map(brief)).toEqual([`put /t/b no ttl@${kv.modRevision + 1}`, `delete /t/a @${kv.modRevision + 2}`]);
      expect(await s.get('/t/a')).toBeUndefined();
      expect(await s.get('/t/b')).toBeDefined();
    });

    it('takes the TTL from each write: none clears it, a new one replaces it', async () => {
      const clock = new FakeClock();
      const s = await h.open({ clock });
      const a = await s.create('/t/cleared', 'x', { ttlSeconds: 5 });
      const a2 = await s.update('/t/cleared', 'y', a.modRevision);
      expect(a2.expiresAt).toBeUndefined();
      const b = await s.create('/t/extended', 'x', { ttlSeconds: 5 });
      clock.advance(3_000);
      await s.update('/t/extended', 'y', b.modRevision, { ttlSeconds: 5 });
      clock.advance(4_000);
      await vi.waitFor(async () => expect(await s.get('/t/extended')).toBeDefined());
      expect(await s.get('/t/cleared')).toBeDefined();
      clock.advance(2_000);
      await vi.waitFor(async () => expect(await s.get('/t/extended')).toBeUndefined());
      expect(await s.get('/t/cleared')).toMatchObject({ value: 'y' });
    });

    it('expires many keys due together', async () => {
      const clock = new FakeClock();
      const s = await h.open({ clock });
      await Promise.all(Array.from({ length: 300 }, (_, i) => s.create(`/t/many/${i}`, 'x', { ttlSeconds: 60 + (i % 3) })));
      clock.advance(63_000);
      await vi.waitFor(async () => expect((await s.count('/t/many/')).count).toBe(0));
    });

    it.skipIf(!h.reopen)('keeps expiry across a restart and deletes overdue keys after start', async () => {
      const clock = new FakeClock();
      const s = await h.open({ clock });
      await s.create('/t/overdue', 'x', { ttlSeconds: 10 });
      await s.create('/t/later', 'x', { ttlSeconds: 100 });
      const later = new FakeClock(clock.now() + 20_000);
      const s2 = await h.reopen!(s, { clean: true, options: { clock: later } });
      later.advance(0);
      await vi.waitFor(async () => expect(await s2.get('/t/overdue')).toBeUndefined());
      expect(await s2.get('/t/later')).toBeDefined();
      later.advance(80_000);
      await vi.waitFor(async () => expect(await s2.get('/t/later')).toBeUndefined());
    });
  });
}

export function compactionSuite(h: Harness): void {
  describe('compaction', () => {
    it('removes superseded history and keeps every live key readable', async () => {
      const s = await h.open();
      const keys = Array.from({ length: 10 }, (_, i) => `/c/${i}`);
      const cur = new Map(await Promise.all(keys.map(async (k) => [k, await s.create(k, '0')] as const)));
      for (let round = 1; round <= 60; round++) {
        await Promise.all(keys.map(async (k) => cur.set(k, await s.update(k, String(round), cur.get(k)!.modRevision))));
      }
      await s.delete('/c/0');
      const mid = s.currentRevision();
      const more = await s.update('/c/1', 'after', cur.get('/c/1')!.modRevision);
      const before = (await s.stats()).historyRows;
      await s.compact(mid);
      const after = (await s.stats()).historyRows;
      expect(after).toBeLessThan(before);
      expect(after).toBeLessThanOrEqual(keys.length + 1);
      expect((await s.list('/c/')).items.map((kv) => kv.value)).toEqual(['after', ...Array(8).fill('60')]);
      expect((await s.list('/c/', { revision: mid })).items).toHaveLength(9);
      const events = await take(iterate(s, '/c/', mid), 1);
      expect(events[0]).toEqual({ type: 'put', kv: more, prevKv: cur.get('/c/1') });
    });

    it('compacts automatically to the revision seen one interval earlier', async () => {
      const clock = new FakeClock();
      const s = await h.open({ clock, compactIntervalMs: 60_000, compactMinRetain: 5 });
      const opened = s.currentRevision();
      let kv = await s.create('/auto', '0');
      const bump = async (n: number): Promise<void> => {
        for (let i = 0; i < n; i++) kv = await s.update('/auto', String(i), kv.modRevision);
      };
      await bump(20);
      clock.advance(60_000); // first tick: compacts to the revision at open
      const seen = s.currentRevision();
      expect(s.compactRevision()).toBe(opened);
      await bump(20);
      clock.advance(60_000);
      expect(s.compactRevision()).toBe(seen);
      await bump(2);
      const latest = s.currentRevision();
      clock.advance(60_000); // the newest compactMinRetain revisions are never compacted
      expect(s.compactRevision()).toBe(latest - 5);
      clock.advance(60_000);
      expect(s.compactRevision()).toBe(latest - 5);
      expect(await rejection(s.get('/auto', { revision: latest - 6 }))).toBeInstanceOf(CompactedError);
    });
  });
}
