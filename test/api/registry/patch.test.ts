import { describe, expect, it } from 'vitest';
import { admin, cluster, configMap, configmaps, deployments, failure, pod, pods } from './fixtures.ts';

describe('createApiHandler patch', () => {
  it('applies JSON and strategic merge patches with the kind\'s merge keys', async () => {
    const c = await cluster();
    // No service-account mount: the containers compared below stay as written.
    await c.create(pods, 'default', pod('p', { spec: { automountServiceAccountToken: false, containers: [{ name: 'a', image: 'one' }, { name: 'b', image: 'two' }] } }));
    const smp = await c.patch(pods, 'default', 'p', { spec: { containers: [{ name: 'b', image: 'three' }] } }, { type: 'strategic' });
    expect((smp.spec as { containers: unknown[] }).containers).toEqual([{ name: 'a', image: 'one' }, { name: 'b', image: 'three' }]);
    const json = await c.patch(pods, 'default', 'p', [{ op: 'replace', path: '/spec/containers/0/image', value: 'four' }, { op: 'add', path: '/metadata/labels', value: { x: 'y' } }], { type: 'json' });
    expect((json.spec as { containers: Array<{ image: string }> }).containers[0].image).toBe('four');
    expect(json.metadata.labels).toEqual({ x: 'y' });
    const failed = await failure(c.patch(pods, 'default', 'p', [{ op: 'test', path: '/metadata/name', value: 'q' }], { type: 'json' }));
    expect(failed.code).toBe(422);
  });

  it('answers 415 to a strategic merge patch of a kind without a schema', async () => {
    const widgets = { ...configmaps, group: 'example.com', kind: 'Widget', plural: 'widgets', singular: 'widget', storage: { group: 'example.com', resource: 'widgets' } };
    const c = await cluster({ defs: [widgets] });
    await c.create(widgets, 'ns', { metadata: { name: 'w' } });
    expect((await failure(c.patch(widgets, 'ns', 'w', { a: 1 }, { type: 'strategic' }))).code).toBe(415);
    expect((await c.patch(widgets, 'ns', 'w', { a: 1 })).a).toBe(1);
  });

  it('applies a merge patch through the update rules', async () => {
    const c = await cluster();
    const d = await c.create(deployments, 'default', { metadata: { name: 'web', labels: { a: '1' } }, spec: { replicas: 1, selector: {} } });
    const p = await c.patch(deployments, 'default', 'web', { metadata: { labels: { a: null, b: '2' } }, spec: { replicas: 3 }, status: { replicas: 3 } });
    expect(p.metadata.labels).toEqual({ b: '2' });
    expect((p.spec as { replicas: number }).replicas).toBe(3);
    expect(p.metadata.generation).toBe(2);
    expect(p.status).toBeUndefined();
    expect(p.metadata.uid).toBe(d.metadata.uid);
    const st = await c.patch(deployments, 'default', 'web', { status: { replicas: 3 }, spec: { replicas: 0 } }, { subresource: 'status' });
    expect(st.status).toEqual({ replicas: 3 });
    expect((st.spec as { replicas: number }).replicas).toBe(3);
  });

  it('treats metadata.resourceVersion in the patch as a precondition', async () => {
    const c = await cluster();
    const cm = await c.create(configmaps, 'default', configMap('a'));
    await c.patch(configmaps, 'default', 'a', { data: { x: '1' } });
    const stale = await failure(c.patch(configmaps, 'default', 'a', { metadata: { resourceVersion: cm.metadata.resourceVersion }, data: { x: '2' } }));
    expect(stale).toMatchObject({ code: 409, reason: 'Conflict' });
    const current = (await c.get(configmaps, 'default', 'a')).metadata.resourceVersion;
    const ok = await c.patch(configmaps, 'default', 'a', { metadata: { resourceVersion: current }, data: { x: '3' } });
    expect(ok.data).toEqual({ x: '3' });
  });

  it('answers 404 for a missing object and 400 for a renaming patch', async () => {
    const c = await cluster();
    expect((await failure(c.patch(configmaps, 'default', 'nope', { data: {} }))).code).toBe(404);
    await c.create(configmaps, 'default', configMap('a'));
    expect((await failure(c.patch(configmaps, 'default', 'a', { metadata: { name: 'b' } }))).code).toBe(400);
    expect((await failure(c.patch(configmaps, 'default', 'a', { data: {} }, { force: true }))).code).toBe(422);
  });

  it('server-side apply creates, then merges by merge key', async () => {
    const c = await cluster();
    const manifest = (image: string, extra: object = {}) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { app: 'web' } },
      spec: { containers: [{ name: 'a', image }], ...extra },
    });
    const noManager = await failure(c.patch(pods, 'default', 'p', manifest('one'), { type: 'apply' }));
    expect(noManager.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const res = await c.api.patch({ verb: 'patch', def: pods, namespace: 'default', name: 'p', patchType: 'apply', patch: manifest('one'), options: { fieldManager: 'kubectl' } }, admin);
    expect(res.created).toBe(true);
    expect(res.object.metadata.labels).toEqual({ app: 'web' });
    await c.patch(pods, 'default', 'p', { metadata: { annotations: { other: 'manager' } } });
    const again = await c.patch(pods, 'default', 'p', manifest('two', { containers: [{ name: 'a', image: 'two' }, { name: 'b', image: 'side' }] }), { type: 'apply', fieldManager: 'kubectl' });
    expect((again.spec as { containers: Array<{ name: string; image: string }> }).containers.map((x) => `${x.name}=${x.image}`)).toEqual(['a=two', 'b=side']);
    expect(again.metadata.annotations).toEqual({ other: 'manager' });
    const stale = await failure(c.patch(pods, 'default', 'p', { ...manifest('three'), metadata: { name: 'p', resourceVersion: '1' } }, { type: 'apply', fieldManager: 'kubectl' }));
    expect(stale.code).toBe(409);
  });

  it('lands every one of 50 concurrent patches of one object', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('hot'));
    const start = c.store.currentRevision();
    await Promise.all(Array.from({ length: 50 }, (_, i) => c.patch(configmaps, 'default', 'hot', { data: { [`k${i}`]: String(i) } })));
    const hot = await c.get(configmaps, 'default', 'hot');
    expect(Object.keys(hot.data as object)).toHaveLength(50);
    for (let i = 0; i < 50; i++) expect((hot.data as Record<string, string>)[`k${i}`]).toBe(String(i));
    expect(c.store.currentRevision() - start).toBe(50);
  });

  it('rejects a patch that breaks validation and leaves the object alone', async () => {
    const c = await cluster();
    await c.create(deployments, 'default', { metadata: { name: 'web' }, spec: { selector: {} } });
    const err = await failure(c.patch(deployments, 'default', 'web', { spec: { replicas: -1 } }));
    expect(err.code).toBe(422);
    expect(((await c.get(deployments, 'default', 'web')).spec as { replicas: number }).replicas).toBe(1);
  });

  it('reports unknown fields of the patched object per fieldValidation', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('a'));
    const strict = await failure(c.patch(configmaps, 'default', 'a', { bogus: 1 }, { fieldValidation: 'Strict' }));
    expect(strict.message).toBe('strict decoding error: unknown field "bogus"');
    const res = await c.api.patch({ verb: 'patch', def: configmaps, namespace: 'default', name: 'a', patchType: 'merge', patch: { bogus: 1, data: { k: 'v' } }, options: {} }, admin);
    expect(res.warnings).toEqual(['unknown field "bogus"']);
    expect(res.object).not.toHaveProperty('bogus');
    expect(res.object.data).toEqual({ k: 'v' });
  });
});
