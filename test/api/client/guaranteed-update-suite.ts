import { describe, expect, it } from 'vitest';
import { guaranteedUpdate, guaranteedUpdateStatus, type Client } from '../../../pkg/api/client/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { configMap, deployment, freshNamespace, gate, statusOf } from './harness.ts';

const data = (o: KObject) => (o.data ?? {}) as Record<string, string>;

export function guaranteedUpdateSuite(getClient: () => Client): void {
  describe('guaranteedUpdate', () => {
    it('re-reads and mutates again after losing a race to another writer', async () => {
      const client = getClient();
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      await cms.create(ns, configMap('g', { mine: '0' }));
      let calls = 0;
      const out = await guaranteedUpdate(cms, ns, 'g', async (cm) => {
        calls++;
        // Another writer gets in between our read and our write, once.
        if (calls === 1) await cms.patch(ns, 'g', 'merge', { data: { theirs: '1' } });
        cm.data = { ...data(cm), mine: String(calls) };
        return cm;
      });
      expect(calls).toBe(2);
      expect(out.data).toEqual({ mine: '2', theirs: '1' });
      expect((await cms.get(ns, 'g')).data).toEqual({ mine: '2', theirs: '1' });
    });

    it('serialises concurrent increments so none is lost', async () => {
      const client = getClient();
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      await cms.create(ns, configMap('counter', { n: '0' }));
      const writers = 5;
      // Every writer's first read happens before any writer writes: a real conflict for all but one.
      const allRead = gate();
      let firstReads = 0;
      let calls = 0;
      await Promise.all(
        Array.from({ length: writers }, (_, i) =>
          guaranteedUpdate(cms, ns, 'counter', async (cm) => {
            calls++;
            if (calls <= writers) {
              if (++firstReads === writers) allRead.open();
              await allRead.promise;
            }
            cm.data = { ...data(cm), n: String(Number(data(cm).n) + 1), [`w${i}`]: 'x' };
            return cm;
          }, { attempts: writers + 1 }),
        ),
      );
      const final = await cms.get(ns, 'counter');
      expect(data(final).n).toBe(String(writers));
      expect(calls).toBeGreaterThanOrEqual(writers + (writers - 1));
    });

    it('gives up with the Conflict after the last attempt', async () => {
      const client = getClient();
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      await cms.create(ns, configMap('busy'));
      let calls = 0;
      const err = await statusOf(guaranteedUpdate(cms, ns, 'busy', async (cm) => {
        await cms.patch(ns, 'busy', 'merge', { data: { other: String(++calls) } });
        return { ...cm, data: { mine: 'x' } };
      }, { attempts: 3 }));
      expect(err).toMatchObject({ code: 409, reason: 'Conflict' });
      expect(calls).toBe(3);
    });

    it('writes nothing when mutate returns undefined, and passes other errors through', async () => {
      const client = getClient();
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      const before = await cms.create(ns, configMap('same', { a: '1' }));
      const out = await guaranteedUpdate(cms, ns, 'same', (cm) => {
        cm.data = { changed: 'but discarded' };
        return undefined;
      });
      expect(out.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(out.data).toEqual({ a: '1' });
      expect((await cms.get(ns, 'same')).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      let calls = 0;
      expect(await statusOf(guaranteedUpdate(cms, ns, 'missing', (cm) => (calls++, cm)))).toMatchObject({ code: 404 });
      expect(calls).toBe(0);
    });
  });

  describe('guaranteedUpdateStatus', () => {
    it('writes status through the subresource, retrying on conflict', async () => {
      const client = getClient();
      const ns = await freshNamespace(client);
      const deps = client.resource('apps/v1', 'deployments');
      await deps.create(ns, deployment('web', 3));
      let calls = 0;
      const out = await guaranteedUpdateStatus(deps, ns, 'web', async (d) => {
        if (++calls === 1) await deps.patch(ns, 'web', 'merge', { metadata: { labels: { bumped: 'yes' } } });
        return { ...d, spec: { ...(d.spec as object), replicas: 99 }, status: { replicas: 3, observedGeneration: d.metadata.generation } };
      });
      expect(calls).toBe(2);
      expect(out.status).toMatchObject({ replicas: 3, observedGeneration: 1 });
      expect((out.spec as { replicas: number }).replicas).toBe(3);
      expect(out.metadata.labels).toEqual({ bumped: 'yes' });
    });
  });
}
