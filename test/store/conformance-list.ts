import { describe, expect, it } from 'vitest';
import { CompactedError, FutureRevisionError, type KV, type Store } from '../../pkg/store/index.ts';
import { rejection, type Harness } from './harness.ts';

const pad = (i: number): string => String(i).padStart(3, '0');

async function seed(s: Store, prefix: string, n: number): Promise<KV[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => s.create(`${prefix}${pad(i)}`, `v${i}`)));
}

export function listSuite(h: Harness): void {
  describe('list/count', () => {
    it('lists exactly the keys under a prefix, in byte order', async () => {
      const s = await h.open();
      const keys = ['/p/b', '/p/a', '/p/Z', '/p/é', '/p/z', '/p/\u{1F600}', '/p/\uFFFD', '/pq/x', '/o/x', '/p'];
      for (const k of keys) await s.create(k, k);
      const r = await s.list('/p/');
      const expected = keys.filter((k) => k.startsWith('/p/')).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect(r.items.map((kv) => kv.key)).toEqual(expected);
      expect(r).toMatchObject({ revision: s.currentRevision(), more: false, count: expected.length });
      expect((await s.list('')).items).toHaveLength(keys.length);
      expect(await s.count('/p/')).toEqual({ count: expected.length, revision: s.currentRevision() });
      expect(await s.count('/nothing/')).toEqual({ count: 0, revision: s.currentRevision() });
    });

    it('pages with limit/after at a fixed revision while writes continue', async () => {
      const s = await h.open();
      const original = await seed(s, '/registry/pods/ns/', 50);
      await s.create('/registry/podsx/other', 'not under the prefix');
      const first = await s.list('/registry/pods/', { limit: 7 });
      expect(first).toMatchObject({ more: true, count: 50 });
      expect(first.items).toHaveLength(7);
      const rev = first.revision;
      const seen = [...first.items];
      let page = first;
      let writes = 0;
      while (page.more) {
        // Churn between pages: updates, deletes and creates all land after `rev`.
        const victim = original[(writes * 7) % 50];
        const cur = (await s.get(victim.key))!;
        if (writes % 2 === 0) await s.update(cur.key, 'changed', cur.modRevision);
        else await s.delete(cur.key);
        await s.create(`/registry/pods/ns/new-${writes}`, 'new');
        await s.create(`/registry/pods/ns/${pad(writes)}-between`, 'new');
        writes++;
        page = await s.list('/registry/pods/', { limit: 7, revision: rev, after: seen[seen.length - 1].key });
        expect(page.revision).toBe(rev);
        expect(page.count).toBe(50 - seen.length);
        seen.push(...page.items);
      }
      expect(seen).toEqual(original);
      expect(s.currentRevision()).toBeGreaterThan(rev);
    });

    it('returns keys only when asked, with their revisions', async () => {
      const s = await h.open();
      const kvs = await seed(s, '/k/', 3);
      const r = await s.list('/k/', { keysOnly: true });
      expect(r.items).toEqual(kvs.map((kv) => ({ ...kv, value: '' })));
      const old = await s.list('/k/', { keysOnly: true, revision: kvs[1].modRevision });
      expect(old.items.map((kv) => kv.value)).toEqual(['', '']);
    });

    it('treats limit <= 0 as no limit and continues after a key outside the prefix', async () => {
      const s = await h.open();
      await seed(s, '/k/', 5);
      expect((await s.list('/k/', { limit: 0 })).items).toHaveLength(5);
      expect((await s.list('/k/', { after: '/a' })).items).toHaveLength(5);
      expect((await s.list('/k/', { after: '/k/002' })).items.map((kv) => kv.key)).toEqual(['/k/003', '/k/004']);
      expect((await s.list('/k/', { after: '/z' })).items).toHaveLength(0);
    });

    it('counts the state at an old revision, however much changed since', async () => {
      const s = await h.open();
      const kvs = await seed(s, '/n/', 40);
      const rev = s.currentRevision();
      const check = async (): Promise<void> => {
        for (const [after, remaining] of [[undefined, 40], ['/n/009', 30], ['/n/038', 1]] as const) {
          const page = await s.list('/n/', { revision: rev, limit: 1, after });
          expect(page.count).toBe(remaining);
          expect(page.items[0]).toEqual(kvs[40 - remaining]);
        }
      };
      for (let i = 0; i < 5; i++) {
        await s.delete(kvs[i * 8].key);
        await s.create(`/n/${pad(i * 8)}-new`, 'new');
        await s.update(kvs[i * 8 + 1].key, 'changed', kvs[i * 8 + 1].modRevision);
      }
      await s.delete(`/n/${pad(8)}-new`);
      await check();
      let hot = await s.create('/n/hot', '0');
      for (let i = 0; i < 1100; i++) hot = await s.update(hot.key, String(i), hot.modRevision);
      await s.create(`/n/${pad(8)}-new`, 'again');
      await check();
    });

    it('reads old revisions: values, deletions and keys not yet created', async () => {
      const s = await h.open();
      const a1 = await s.create('/h/a', '1');
      const a2 = await s.update('/h/a', '2', a1.modRevision);
      const b = await s.create('/h/b', 'b');
      const del = await s.delete('/h/a');
      expect(await s.get('/h/a', { revision: a1.modRevision })).toEqual(a1);
      expect(await s.get('/h/a', { revision: b.modRevision })).toEqual(a2);
      expect(await s.get('/h/a', { revision: del.modRevision })).toBeUndefined();
      expect(await s.get('/h/b', { revision: a2.modRevision })).toBeUndefined();
      expect((await s.list('/h/', { revision: b.modRevision })).items).toEqual([a2, b]);
      expect((await s.list('/h/', { revision: a1.modRevision })).items).toEqual([a1]);
      expect((await s.list('/h/', { revision: del.modRevision })).items).toEqual([b]);
      const paged = await s.list('/h/', { revision: b.modRevision, limit: 1 });
      expect(paged).toMatchObject({ items: [a2], more: true, count: 2, revision: b.modRevision });
    });

    it('throws FutureRevisionError above the current revision', async () => {
      const s = await h.open();
      await s.create('/k', 'v');
      const next = s.currentRevision() + 1;
      const err = await rejection(s.get('/k', { revision: next }));
      expect(err).toBeInstanceOf(FutureRevisionError);
      expect(err.code).toBe('ERR_STORE_FUTURE_REVISION');
      expect(await rejection(s.list('/', { revision: next }))).toBeInstanceOf(FutureRevisionError);
      expect(await rejection(s.compact(next))).toBeInstanceOf(FutureRevisionError);
    });

    it('answers Compacted below the compaction point and keeps the state at it', async () => {
      const s = await h.open();
      const a = await s.create('/c/a', '1');
      const a2 = await s.update('/c/a', '2', a.modRevision);
      const b = await s.create('/c/b', '1');
      await s.delete('/c/b');
      const c = await s.create('/c/c', '1');
      expect(await s.get('/c/b', { revision: c.modRevision })).toBeUndefined();
      await s.update('/c/c', '2', c.modRevision);
      await s.compact(c.modRevision);
      expect(s.compactRevision()).toBe(c.modRevision);
      const err = await rejection(s.get('/c/a', { revision: c.modRevision - 1 }));
      expect(err).toBeInstanceOf(CompactedError);
      expect(err).toMatchObject({ code: 'ERR_STORE_COMPACTED', compactRevision: c.modRevision, currentRevision: s.currentRevision() });
      expect(await rejection(s.list('/c/', { revision: a2.modRevision }))).toBeInstanceOf(CompactedError);
      expect(await s.get('/c/a', { revision: c.modRevision })).toEqual(a2);
      expect((await s.list('/c/', { revision: c.modRevision })).items).toEqual([a2, c]);
      expect((await s.list('/c/')).items.map((kv) => kv.value)).toEqual(['2', '2']);
      expect(await rejection(s.get('/c/b', { revision: b.modRevision }))).toBeInstanceOf(CompactedError);
      await s.compact(a.modRevision); // below the point: no-op
      expect(s.compactRevision()).toBe(c.modRevision);
    });
  });
}
