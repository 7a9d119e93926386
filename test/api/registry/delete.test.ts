import { describe, expect, it } from 'vitest';
import { admin, cluster, configMap, configmaps, deployments, failure, pod, pods } from './fixtures.ts';

describe('createApiHandler delete', () => {
  it('removes an object without finalizers now and returns its last state', async () => {
    const c = await cluster();
    const cm = await c.create(configmaps, 'default', configMap('a', { k: 'v' }));
    const last = await c.remove(configmaps, 'default', 'a', { propagationPolicy: 'Background' });
    expect(last.data).toEqual({ k: 'v' });
    expect(last.metadata.uid).toBe(cm.metadata.uid);
    expect(last.metadata.resourceVersion).toBe(String(c.store.currentRevision()));
    expect((await failure(c.get(configmaps, 'default', 'a'))).code).toBe(404);
    expect((await failure(c.remove(configmaps, 'default', 'a'))).message).toBe('configmaps "a" not found');
  });

  it('marks an object with finalizers and adds the propagation finalizers', async () => {
    const c = await cluster();
    await c.create(deployments, 'default', { metadata: { name: 'fg' }, spec: { selector: {} } });
    const fg = await c.remove(deployments, 'default', 'fg', { propagationPolicy: 'Foreground' });
    expect(fg.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(fg.metadata.deletionTimestamp).toBe('2026-01-01T12:00:00Z');
    expect(fg.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(fg.metadata.generation).toBe(2);
    await c.create(deployments, 'default', { metadata: { name: 'or', finalizers: ['example.com/keep'] }, spec: { selector: {} } });
    const or = await c.remove(deployments, 'default', 'or', { orphanDependents: true });
    expect(or.metadata.finalizers).toEqual(['example.com/keep', 'orphan']);
    // Deleting again with Background drops the GC finalizer (no graceful deletion for this kind).
    const again = await c.remove(deployments, 'default', 'or', { propagationPolicy: 'Background' });
    expect(again.metadata.finalizers).toEqual(['example.com/keep']);
    expect(again.metadata.deletionTimestamp).toBe(or.metadata.deletionTimestamp);
    const still = await c.get(deployments, 'default', 'or');
    expect(still.metadata.resourceVersion).toBe(again.metadata.resourceVersion);
  });

  it('checks uid and resourceVersion preconditions', async () => {
    const c = await cluster();
    const d = await c.create(deployments, 'default', { metadata: { name: 'web' }, spec: { selector: {} } });
    const uid = await failure(c.remove(deployments, 'default', 'web', { preconditions: { uid: 'other' } }));
    expect(uid).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(uid.message).toBe(`Operation cannot be fulfilled on Deployment.apps "web": the UID in the precondition (other) does not match the UID in record (${d.metadata.uid}). The object might have been deleted and then recreated`);
    const rv = await failure(c.remove(deployments, 'default', 'web', { preconditions: { resourceVersion: '1' } }));
    expect(rv.message).toContain('the ResourceVersion in the precondition (1) does not match the ResourceVersion in record');
    await c.remove(deployments, 'default', 'web', { preconditions: { uid: d.metadata.uid, resourceVersion: d.metadata.resourceVersion } });
    expect((await failure(c.get(deployments, 'default', 'web'))).code).toBe(404);
  });

  it('deletes bound pods gracefully and unbound pods at once', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('unbound'));
    const gone = await c.remove(pods, 'default', 'unbound', { gracePeriodSeconds: 30 });
    expect(gone.metadata.deletionTimestamp).toBeUndefined();
    expect((await failure(c.get(pods, 'default', 'unbound'))).code).toBe(404);

    await c.create(pods, 'default', pod('bound', { spec: { nodeName: 'n1', terminationGracePeriodSeconds: 20 } }));
    const marked = await c.remove(pods, 'default', 'bound');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(20);
    expect(marked.metadata.deletionTimestamp).toBe('2026-01-01T12:00:20Z');
    // Again without a shorter grace period: nothing changes.
    const same = await c.remove(pods, 'default', 'bound', { gracePeriodSeconds: 25 });
    expect(same.metadata.resourceVersion).toBe(marked.metadata.resourceVersion);
    const shorter = await c.remove(pods, 'default', 'bound', { gracePeriodSeconds: 5 });
    expect(shorter.metadata.deletionGracePeriodSeconds).toBe(5);
    expect(shorter.metadata.deletionTimestamp).toBe('2026-01-01T12:00:05Z');
    await c.remove(pods, 'default', 'bound', { gracePeriodSeconds: 0 });
    expect((await failure(c.get(pods, 'default', 'bound'))).code).toBe(404);

    await c.create(pods, 'default', pod('done', { spec: { nodeName: 'n1' } }));
    await c.update(pods, 'default', { ...(await c.get(pods, 'default', 'done')), status: { phase: 'Succeeded' } }, { subresource: 'status' });
    await c.remove(pods, 'default', 'done');
    expect((await failure(c.get(pods, 'default', 'done'))).code).toBe(404);
  });

  it('validates DeleteOptions', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('a'));
    const both = await failure(c.remove(configmaps, 'default', 'a', { orphanDependents: true, propagationPolicy: 'Orphan' }));
    expect(both.code).toBe(422);
    expect(both.message).toBe('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set');
    const policy = await failure(c.remove(configmaps, 'default', 'a', { propagationPolicy: 'Sideways' as never }));
    expect(policy.message).toContain('propagationPolicy: Unsupported value: "Sideways"');
  });

  it('dryRun changes nothing', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('a'));
    await c.create(configmaps, 'default', { metadata: { name: 'f', finalizers: ['example.com/x'] } });
    const rev = c.store.currentRevision();
    expect((await c.remove(configmaps, 'default', 'a', { dryRun: ['All'] })).metadata.name).toBe('a');
    expect((await c.remove(configmaps, 'default', 'f', { dryRun: ['All'] })).metadata.deletionTimestamp).toBeTruthy();
    expect(c.store.currentRevision()).toBe(rev);
    expect((await c.get(configmaps, 'default', 'f')).metadata.deletionTimestamp).toBeUndefined();
  });

  it('deletecollection deletes what the selectors match', async () => {
    const c = await cluster();
    for (let i = 0; i < 40; i++) await c.create(configmaps, 'default', configMap(`cm${i}`, {}, { group: String(i % 2) }));
    const res = await c.api.deletecollection({ verb: 'deletecollection', def: configmaps, namespace: 'default', listOptions: { labelSelector: 'group=0' }, options: {} }, admin);
    expect(res.kind).toBe('ConfigMapList');
    expect(res.items).toHaveLength(20);
    const left = await c.list(configmaps, 'default');
    expect(left.items).toHaveLength(20);
    expect(left.items.every((i) => i.metadata.labels?.group === '1')).toBe(true);
  });
});
