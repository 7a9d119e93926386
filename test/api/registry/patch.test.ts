import { describe, expect, it } from 'vitest';
import { admin, cluster, configMap, configmaps, deployments, failure } from './fixtures.ts';

describe('createApiHandler patch', () => {
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

  it('answers 404 for a missing object, 400 for a renaming patch and 415 for apply', async () => {
    const c = await cluster();
    expect((await failure(c.patch(configmaps, 'default', 'nope', { data: {} }))).code).toBe(404);
    await c.create(configmaps, 'default', configMap('a'));
    expect((await failure(c.patch(configmaps, 'default', 'a', { metadata: { name: 'b' } }))).code).toBe(400);
    const apply = await failure(c.patch(configmaps, 'default', 'a', { metadata: { name: 'a' } }, { type: 'apply', fieldManager: 'kubectl' }));
    expect(apply).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
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
    const findUnknownFields = (_def: unknown, obj: unknown) => ('bogus' in (obj as object) ? ['bogus'] : []);
    const c = await cluster({ schema: { findUnknownFields } });
    await c.create(configmaps, 'default', configMap('a'));
    const strict = await failure(c.patch(configmaps, 'default', 'a', { bogus: 1 }, { fieldValidation: 'Strict' }));
    expect(strict.message).toBe('strict decoding error: unknown field "bogus"');
    const res = await c.api.patch({ verb: 'patch', def: configmaps, namespace: 'default', name: 'a', patchType: 'merge', patch: { bogus: 1, data: { k: 'v' } }, options: {} }, admin);
    expect(res.warnings).toEqual(['unknown field "bogus"']);
    expect(res.object).not.toHaveProperty('bogus');
    expect(res.object.data).toEqual({ k: 'v' });
  });
});
