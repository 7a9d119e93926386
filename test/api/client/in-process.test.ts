import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConformance } from './conformance.ts';
import { configMap, freshNamespace, inProcessHarness, type Harness } from './harness.ts';

describe('inProcessClient', () => {
  clientConformance(inProcessHarness);

  describe('memory ownership', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await inProcessHarness();
    });
    afterAll(async () => h?.close());

    it('never shares objects with the registry or between callers', async () => {
      const ns = await freshNamespace(h.client);
      const cms = h.client.resource('v1', 'configmaps');
      const input = configMap('own', { k: 'v' });
      await cms.create(ns, input);
      (input.data as Record<string, string>).k = 'changed after create';
      expect((await cms.get(ns, 'own')).data).toEqual({ k: 'v' });

      const patch = { data: { p: '1' } };
      await cms.patch(ns, 'own', 'merge', patch);
      patch.data.p = 'changed after patch';
      expect((await cms.get(ns, 'own')).data).toEqual({ k: 'v', p: '1' });

      // The registry shares one frozen object between watchers; each watcher gets its own copy.
      const [a, b] = [new AbortController(), new AbortController()];
      const [wa, wb] = [a, b].map((c) => cms.watch(ns, { signal: c.signal })[Symbol.asyncIterator]());
      const ea = (await wa.next()).value!;
      (ea.object.data as Record<string, string>).k = 'mutated by watcher a';
      const eb = (await wb.next()).value!;
      expect(eb.object.data).toEqual({ k: 'v', p: '1' });
      a.abort();
      b.abort();
    });
  });
});
