import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../pkg/api/client/index.ts';
import type { WatchEvent } from '../../../pkg/api/types/index.ts';
import { configMap, deployment, freshNamespace, Recorder, statusOf, type Harness, type Setup } from './harness.ts';
import { guaranteedUpdateSuite } from './guaranteed-update-suite.ts';
import { informerSuite } from './informer-suite.ts';

/** The behaviour every Client must have, run against each implementation (STYLE.md B8). */
export function clientConformance(setup: Setup): void {
  let h: Harness;
  let client: Client;
  beforeAll(async () => {
    h = await setup();
    client = h.client;
  });
  afterAll(async () => h?.close());

  describe('Client CRUD and errors', () => {
    it('creates, gets, updates and deletes, returning copies the caller owns', async () => {
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      const input = configMap('a', { k: 'v1' });
      const created = await cms.create(ns, input);
      expect(created.metadata).toMatchObject({ name: 'a', namespace: ns, uid: expect.any(String), resourceVersion: expect.any(String) });
      expect(input.metadata.uid).toBeUndefined();
      created.data = { mutated: 'yes' };
      const got = await cms.get(ns, 'a');
      expect(got.data).toEqual({ k: 'v1' });
      const updated = await cms.update(ns, { ...got, data: { k: 'v2' } });
      expect(updated.data).toEqual({ k: 'v2' });
      expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(got.metadata.resourceVersion));
      const deleted = await cms.delete(ns, 'a');
      expect(deleted.metadata.name).toBe('a');
      expect((await statusOf(cms.get(ns, 'a'))).code).toBe(404);
    });

    it('takes the namespace from the object when none is given', async () => {
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      const obj = configMap('b');
      obj.metadata.namespace = ns;
      await cms.create(undefined, obj);
      expect((await cms.get(ns, 'b')).metadata.namespace).toBe(ns);
    });

    it('serves cluster-scoped resources without a namespace', async () => {
      const nss = client.resource('v1', 'namespaces');
      const d = await nss.get(undefined, 'default');
      expect(d.metadata.name).toBe('default');
      expect(d.metadata.namespace).toBeUndefined();
    });

    it('fails with the Status of NotFound, AlreadyExists, Conflict and Invalid', async () => {
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      expect(await statusOf(cms.get(ns, 'nope'))).toEqual({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "nope" not found', reason: 'NotFound',
        details: { name: 'nope', kind: 'configmaps' }, code: 404,
      });
      const first = await cms.create(ns, configMap('c'));
      expect(await statusOf(cms.create(ns, configMap('c')))).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'configmaps "c" already exists' });
      await cms.update(ns, { ...first, data: { x: '1' } });
      expect(await statusOf(cms.update(ns, { ...first, data: { x: '2' } }))).toMatchObject({
        code: 409, reason: 'Conflict',
        message: 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
      });
      const bad = await statusOf(client.resource('apps/v1', 'deployments').create(ns, deployment('web', -1)));
      expect(bad).toMatchObject({ code: 422, reason: 'Invalid', details: { name: 'web', group: 'apps', kind: 'Deployment' } });
      expect(bad.message).toContain('spec.replicas');
    });

    it('rejects unknown group versions and resources with the server 404', async () => {
      const notFound = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 };
      expect(await statusOf(client.resource('bogus.example.com/v1', 'things').list(undefined))).toEqual(notFound);
      expect(await statusOf(client.resource('v1', 'bogus').get('default', 'x'))).toEqual(notFound);
      const events = client.resource('apps/v1', 'bogus').watch(undefined, { signal: new AbortController().signal });
      expect(await statusOf(events[Symbol.asyncIterator]().next())).toEqual(notFound);
    });

    it('refuses an empty name with 400 before sending anything', async () => {
      expect(await statusOf(client.resource('v1', 'configmaps').get('default', ''))).toMatchObject({ code: 400, reason: 'BadRequest' });
    });
  });

  describe('ResourceClient.list', () => {
    it('filters by label and field selectors and pages with continue', async () => {
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      for (const [i, tier] of ['fe', 'be', 'fe', 'be', 'fe'].entries()) await cms.create(ns, configMap(`cm${i}`, {}, { tier }));
      const fe = await cms.list(ns, { labelSelector: 'tier=fe' });
      expect(fe.items.map((o) => o.metadata.name)).toEqual(['cm0', 'cm2', 'cm4']);
      expect(fe.kind).toBe('ConfigMapList');
      expect(Number(fe.metadata.resourceVersion)).toBeGreaterThan(0);
      expect((await cms.list(ns, { labelSelector: 'tier notin (fe)', fieldSelector: 'metadata.name!=cm1' })).items.map((o) => o.metadata.name)).toEqual(['cm3']);
      const names: string[] = [];
      let cont: string | undefined;
      let pages = 0;
      do {
        const page = await cms.list(ns, { limit: 2, continue: cont });
        names.push(...page.items.map((o) => o.metadata.name!));
        cont = page.metadata.continue;
        pages++;
      } while (cont);
      expect(pages).toBe(3);
      expect(names).toEqual(['cm0', 'cm1', 'cm2', 'cm3', 'cm4']);
      expect(await statusOf(cms.list(ns, { fieldSelector: 'spec.bogus=1' }))).toMatchObject({ code: 400, reason: 'BadRequest' });
    });

    it('lists across all namespaces without one', async () => {
      const [a, b] = [await freshNamespace(client), await freshNamespace(client)];
      const cms = client.resource('v1', 'configmaps');
      await cms.create(a, configMap('x', {}, { run: a }));
      await cms.create(b, configMap('x', {}, { run: a }));
      const all = await cms.list(undefined, { labelSelector: `run=${a}` });
      expect(all.items.map((o) => o.metadata.namespace).sort()).toEqual([a, b].sort());
    });
  });

  describe('ResourceClient.watch', () => {
    it('streams ADDED, MODIFIED and DELETED from a list resourceVersion, and ends on abort', async () => {
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      await cms.create(ns, configMap('before'));
      const list = await cms.list(ns);
      const ac = new AbortController();
      const it = cms.watch(ns, { resourceVersion: list.metadata.resourceVersion, signal: ac.signal })[Symbol.asyncIterator]();
      const first = it.next();
      const created = await cms.create(ns, configMap('w', { a: '1' }));
      const updated = await cms.update(ns, { ...created, data: { a: '2' } });
      await cms.delete(ns, 'w');
      const events: WatchEvent[] = [(await first).value, (await it.next()).value, (await it.next()).value];
      expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w']);
      expect(events[1].object.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
      expect(events[1].object.data).toEqual({ a: '2' });
      expect(events[0].object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
      const pending = it.next();
      ac.abort();
      expect(await pending).toEqual({ done: true, value: undefined });
    });

    it('starts with the current objects as ADDED without a resourceVersion, filtered by selectors', async () => {
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      await cms.create(ns, configMap('one', {}, { pick: 'yes' }));
      await cms.create(ns, configMap('two', {}, { pick: 'no' }));
      const ac = new AbortController();
      const seen = new Recorder();
      const done = (async () => {
        for await (const ev of cms.watch(ns, { labelSelector: 'pick=yes', signal: ac.signal })) {
          seen.push(`${ev.type} ${ev.object.metadata.name}`);
          if (seen.entries.length === 2) ac.abort();
        }
      })();
      await seen.count(1);
      await cms.create(ns, configMap('three', {}, { pick: 'yes' }));
      await done;
      expect(seen.entries).toEqual(['ADDED one', 'ADDED three']);
    });

    it('ends when the consumer stops iterating', async () => {
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      await cms.create(ns, configMap('one'));
      const ac = new AbortController();
      for await (const ev of cms.watch(ns, { signal: ac.signal })) {
        expect(ev.type).toBe('ADDED');
        break;
      }
      // The stream is released: the same cluster keeps serving writes and new watches.
      await cms.create(ns, configMap('two'));
      expect((await cms.list(ns)).items).toHaveLength(2);
    });
  });

  describe('ResourceClient.patch', () => {
    it('applies merge, JSON and strategic merge patches', async () => {
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      await cms.create(ns, configMap('p', { a: '1', b: '2' }));
      const merged = await cms.patch(ns, 'p', 'merge', { data: { b: null, c: '3' }, metadata: { labels: { x: 'y' } } });
      expect(merged.data).toEqual({ a: '1', c: '3' });
      expect(merged.metadata.labels).toEqual({ x: 'y' });
      const jsonPatched = await cms.patch(ns, 'p', 'json', [{ op: 'replace', path: '/data/a', value: 'one' }, { op: 'remove', path: '/data/c' }]);
      expect(jsonPatched.data).toEqual({ a: 'one' });

      const deps = client.resource('apps/v1', 'deployments');
      const d = deployment('web');
      (d.spec as { template: { spec: { containers: object[] } } }).template.spec.containers.push({ name: 'side', image: 'busybox' });
      await deps.create(ns, d);
      const smp = await deps.patch(ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } } } });
      const containers = (smp.spec as { template: { spec: { containers: Array<{ name: string; image: string }> } } }).template.spec.containers;
      expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['c=nginx:1.28', 'side=busybox']);
      expect(await statusOf(cms.patch(ns, 'p', 'json', [{ op: 'test', path: '/data/a', value: 'nope' }]))).toMatchObject({ code: 422 });
      expect(await statusOf(cms.patch(ns, 'missing', 'merge', { data: {} }))).toMatchObject({ code: 404, reason: 'NotFound' });
    });

    it('creates and updates with server-side apply', async () => {
      const ns = await freshNamespace(client);
      const cms = client.resource('v1', 'configmaps');
      const applied = await cms.patch(ns, 'ssa', 'apply', { ...configMap('ssa', { k: 'v' }), metadata: { name: 'ssa', namespace: ns } }, { fieldManager: 'test', force: true });
      expect(applied.data).toEqual({ k: 'v' });
      expect((await cms.get(ns, 'ssa')).data).toEqual({ k: 'v' });
    });
  });

  describe('subresources', () => {
    it('writes only status through updateStatus, and only spec through update', async () => {
      const ns = await freshNamespace(client);
      const deps = client.resource('apps/v1', 'deployments');
      const d = await deps.create(ns, deployment('web', 2));
      const withStatus = await deps.updateStatus(ns, { ...d, spec: { ...(d.spec as object), replicas: 9 }, status: { replicas: 2, observedGeneration: 1 } });
      expect(withStatus.status).toMatchObject({ replicas: 2, observedGeneration: 1 });
      expect((withStatus.spec as { replicas: number }).replicas).toBe(2);
      const viaMain = await deps.update(ns, { ...withStatus, status: { replicas: 7 } });
      expect((viaMain.status as { replicas: number }).replicas).toBe(2);
      const patched = await deps.patch(ns, 'web', 'merge', { status: { readyReplicas: 1 } }, { subresource: 'status' });
      expect(patched.status).toMatchObject({ replicas: 2, readyReplicas: 1 });
    });

    it('reads and patches the scale subresource', async () => {
      const ns = await freshNamespace(client);
      const deps = client.resource('apps/v1', 'deployments');
      await deps.create(ns, deployment('web', 1));
      const scale = await deps.getSubresource(ns, 'web', 'scale');
      expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: ns }, spec: { replicas: 1 } });
      const scaled = await deps.patch(ns, 'web', 'merge', { spec: { replicas: 4 } }, { subresource: 'scale' });
      expect(scaled).toMatchObject({ kind: 'Scale', spec: { replicas: 4 } });
      expect(((await deps.get(ns, 'web')).spec as { replicas: number }).replicas).toBe(4);
    });
  });

  guaranteedUpdateSuite(() => client);
  informerSuite(() => h, setup);
}
