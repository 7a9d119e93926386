import { describe, expect, it } from 'vitest';
import { CompactedError } from '../../pkg/store/index.ts';
import { brief, iterate, rejection, take, type Harness } from './harness.ts';

const leases = '/registry/coordination.k8s.io/leases/';
const volatile = { volatilePrefixes: [leases] };

export function volatileSuite(h: Harness): void {
  describe('volatile prefixes', () => {
    it('serve volatile keys like any other, on the same revision counter', async () => {
      const s = await h.open({ ...volatile, historyRingSize: 2 });
      const start = s.currentRevision();
      const it = iterate(s, '/registry/', start);
      const pod = await s.create('/registry/pods/ns/a', 'pod');
      const lease = await s.create(`${leases}kube-node-lease/n1`, 'l1');
      const pod2 = await s.update(pod.key, 'pod2', pod.modRevision);
      const lease2 = await s.update(lease.key, 'l2', lease.modRevision);
      expect([pod, lease, pod2, lease2].map((kv) => kv.modRevision)).toEqual([start + 1, start + 2, start + 3, start + 4]);
      expect(await s.get(lease.key)).toEqual(lease2);
      expect(await s.get(lease.key, { revision: pod2.modRevision })).toEqual(lease);
      const all = await s.list('/registry/');
      expect(all.items).toEqual([lease2, pod2]);
      const page1 = await s.list('/registry/', { limit: 1 });
      expect(page1).toMatchObject({ items: [lease2], more: true, count: 2 });
      const page2 = await s.list('/registry/', { limit: 1, after: lease2.key, revision: page1.revision });
      expect(page2).toMatchObject({ items: [pod2], more: false });
      expect((await s.list(leases)).items).toEqual([lease2]);
      expect(await s.count('/registry/')).toMatchObject({ count: 2 });
      const expected = [
        `put ${pod.key} pod@${start + 1}`,
        `put ${lease.key} l1@${start + 2}`,
        `put ${pod.key} pod2@${start + 3} (was pod@${start + 1})`,
        `put ${lease.key} l2@${start + 4} (was l1@${start + 2})`,
      ];
      expect((await take(it, 4)).map(brief)).toEqual(expected);
      // Started now, with a ring too small to reach back: replayed from both keyspaces, merged.
      expect((await take(iterate(s, '/registry/', start), 4)).map(brief)).toEqual(expected);
      await s.delete(lease.key, lease2.modRevision);
      expect(await s.get(lease.key)).toBeUndefined();
    });

    it.skipIf(!h.reopen)('are gone after a restart, and the counter continues above them', async () => {
      const s = await h.open(volatile);
      const pod = await s.create('/registry/pods/ns/a', 'pod');
      let lease = await s.create(`${leases}n1`, '0');
      for (let i = 1; i < 20; i++) lease = await s.update(lease.key, String(i), lease.modRevision);
      const seen = s.currentRevision();
      expect((await s.stats()).volatileKeys).toBe(1);
      const s2 = await h.reopen!(s, { clean: true, options: volatile });
      expect(s2.currentRevision()).toBeGreaterThan(seen);
      expect(await s2.get(lease.key)).toBeUndefined();
      expect((await s2.list('/registry/')).items).toEqual([pod]);
      const next = await s2.create(`${leases}n1`, 'again');
      expect(next.modRevision).toBeGreaterThan(seen);
      // A watch on volatile keys cannot resume: their history is gone.
      expect(await rejection(iterate(s2, leases, seen).next())).toBeInstanceOf(CompactedError);
      expect(await rejection(iterate(s2, '/registry/', seen).next())).toBeInstanceOf(CompactedError);
      expect(await rejection(s2.get(lease.key, { revision: seen }))).toBeInstanceOf(CompactedError);
      // Stored keys resume fine after a clean restart.
      expect(await s2.get(pod.key, { revision: pod.modRevision })).toEqual(pod);
      const pods = iterate(s2, '/registry/pods/', pod.modRevision - 1);
      expect(await take(pods, 1)).toEqual([{ type: 'put', kv: pod }]);
      // A new client, listing after the restart, can watch volatile keys from there.
      const fresh = iterate(s2, leases, s2.currentRevision());
      const renewed = await s2.update(next.key, 'renewed', next.modRevision);
      expect((await take(fresh, 1))[0]).toMatchObject({ type: 'put', kv: renewed });
    });
  });
}

export function restartSuite(h: Harness): void {
  describe.skipIf(!h.reopen)('restart', () => {
    it('continues after a clean close with all history intact', async () => {
      const s = await h.open();
      const a = await s.create('/r/a', '1');
      const b = await s.update('/r/a', '2', a.modRevision);
      const last = s.currentRevision();
      const s2 = await h.reopen!(s, { clean: true });
      expect(s2.currentRevision()).toBeGreaterThan(last);
      expect(s2.compactRevision()).toBe(0);
      expect(await s2.get('/r/a')).toEqual(b);
      expect(await s2.get('/r/a', { revision: a.modRevision })).toEqual(a);
      const events = await take(iterate(s2, '/r/', 0), 2);
      expect(events.map(brief)).toEqual([`put /r/a 1@${a.modRevision}`, `put /r/a 2@${b.modRevision} (was 1@${a.modRevision})`]);
      const c = await s2.update('/r/a', '3', b.modRevision);
      expect(c).toMatchObject({ version: 3, createRevision: a.createRevision });
    });

    it('compacts everything before the restart after an unclean shutdown', async () => {
      const s = await h.open(volatile);
      const a = await s.create('/r/a', '1');
      const b = await s.update('/r/a', '2', a.modRevision);
      for (let i = 0; i < 5; i++) await s.create(`${leases}${i}`, 'x');
      const seen = s.currentRevision();
      const s2 = await h.reopen!(s, { clean: false, options: volatile });
      const restart = s2.currentRevision();
      expect(restart).toBeGreaterThan(seen);
      expect(s2.compactRevision()).toBe(restart);
      expect(await s2.get('/r/a')).toEqual(b);
      expect(await rejection(s2.get('/r/a', { revision: b.modRevision }))).toBeInstanceOf(CompactedError);
      expect(await rejection(iterate(s2, '/r/', b.modRevision).next())).toBeInstanceOf(CompactedError);
      expect((await s2.list('/r/')).revision).toBe(restart);
      const it = iterate(s2, '/r/', restart);
      const c = await s2.update('/r/a', '3', b.modRevision);
      expect(await take(it, 1)).toEqual([{ type: 'put', kv: c, prevKv: b }]);
      await s2.compact(s2.currentRevision());
      expect((await s2.stats()).historyRows).toBe(1);
    });
  });
}
