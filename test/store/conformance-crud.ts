import { describe, expect, it } from 'vitest';
import { ConflictError, KeyExistsError, NotFoundError, StoreError } from '../../pkg/store/index.ts';
import { rejection, type Harness } from './harness.ts';

export function crudSuite(h: Harness): void {
  describe('create/get/update/delete', () => {
    it('creates a key at the next revision with version 1', async () => {
      const s = await h.open();
      const before = s.currentRevision();
      const kv = await s.create('/registry/pods/default/a', '{"n":1}');
      expect(kv).toEqual({ key: '/registry/pods/default/a', value: '{"n":1}', createRevision: before + 1, modRevision: before + 1, version: 1 });
      expect(s.currentRevision()).toBe(before + 1);
      expect(await s.get(kv.key)).toEqual(kv);
      expect(await s.get('/registry/pods/default/missing')).toBeUndefined();
    });

    it('rejects creating a live key with KeyExistsError', async () => {
      const s = await h.open();
      await s.create('/k', 'a');
      const err = await rejection(s.create('/k', 'b'));
      expect(err).toBeInstanceOf(KeyExistsError);
      expect(err.code).toBe('ERR_STORE_KEY_EXISTS');
      expect((await s.get('/k'))?.value).toBe('a');
    });

    it('updates with compare-and-swap on modRevision', async () => {
      const s = await h.open();
      const a = await s.create('/k', 'a');
      const b = await s.update('/k', 'b', a.modRevision);
      expect(b).toMatchObject({ value: 'b', createRevision: a.createRevision, modRevision: a.modRevision + 1, version: 2 });
      const err = await rejection(s.update('/k', 'c', a.modRevision));
      expect(err).toBeInstanceOf(ConflictError);
      expect(err.code).toBe('ERR_STORE_CONFLICT');
      expect((err as ConflictError).current).toEqual(b);
      const missing = await rejection(s.update('/nope', 'x', 1));
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(missing.code).toBe('ERR_STORE_NOT_FOUND');
    });

    it('deletes, returning the tombstone, and resets version on re-create', async () => {
      const s = await h.open();
      const a = await s.create('/k', 'a');
      const b = await s.update('/k', 'b', a.modRevision);
      const wrong = await rejection(s.delete('/k', a.modRevision));
      expect(wrong).toBeInstanceOf(ConflictError);
      expect((wrong as ConflictError).current).toEqual(b);
      const tomb = await s.delete('/k', b.modRevision);
      expect(tomb).toEqual({ key: '/k', value: 'b', createRevision: a.createRevision, modRevision: b.modRevision + 1, version: 0 });
      expect(await s.get('/k')).toBeUndefined();
      expect(await rejection(s.delete('/k'))).toBeInstanceOf(NotFoundError);
      const again = await s.create('/k', 'c');
      expect(again).toMatchObject({ version: 1, createRevision: tomb.modRevision + 1, modRevision: tomb.modRevision + 1 });
      expect(await s.delete('/k')).toMatchObject({ value: 'c', version: 0 });
    });

    it('hands out strictly increasing revisions and round-trips any string', async () => {
      const s = await h.open();
      const values = ['', 'plain', '{"json":true}', 'ünïcödé ✓ 🚀', 'x'.repeat(100_000)];
      const kvs = await Promise.all(values.map((v, i) => s.create(`/v/${i}`, v)));
      const revs = kvs.map((kv) => kv.modRevision);
      expect(new Set(revs).size).toBe(revs.length);
      expect([...revs].sort((x, y) => x - y)).toEqual(revs);
      for (const [i, v] of values.entries()) expect((await s.get(`/v/${i}`))?.value).toBe(v);
    });

    it('resolves 100 concurrent read-modify-write loops to an exact counter', async () => {
      const s = await h.open();
      await s.create('/counter', '0');
      let conflicts = 0;
      await Promise.all(
        Array.from({ length: 100 }, async () => {
          for (;;) {
            const cur = (await s.get('/counter'))!;
            try {
              await s.update('/counter', String(Number(cur.value) + 1), cur.modRevision);
              return;
            } catch (err) {
              if (!(err instanceof ConflictError)) throw err;
              conflicts++;
            }
          }
        }),
      );
      const final = (await s.get('/counter'))!;
      expect(final.value).toBe('100');
      expect(final.version).toBe(101);
      expect(conflicts).toBeGreaterThan(0);
    });

    it('lets exactly one of many concurrent creates of a key win', async () => {
      const s = await h.open();
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => s.create('/race', String(i))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(KeyExistsError);
    });

    it('fails a conflicting write alone when it shares a batch with good ones', async () => {
      const s = await h.open();
      const a = await s.create('/a', '1');
      const [ok1, bad, ok2] = await Promise.allSettled([s.update('/a', '2', a.modRevision), s.update('/a', '3', a.modRevision), s.create('/b', '1')]);
      expect(ok1.status).toBe('fulfilled');
      expect(bad.status).toBe('rejected');
      expect(ok2.status).toBe('fulfilled');
      expect((await s.get('/a'))?.value).toBe('2');
      expect(await s.get('/b')).toBeDefined();
    });

    it('rejects invalid input with ERR_STORE_INVALID', async () => {
      const s = await h.open();
      expect((await rejection(s.create('', 'x'))).code).toBe('ERR_STORE_INVALID');
      expect((await rejection(s.create('/ttl', 'x', { ttlSeconds: -1 }))).code).toBe('ERR_STORE_INVALID');
      expect(await rejection(s.get('/x', { revision: 1.5 }))).toBeInstanceOf(StoreError);
    });
  });
}
