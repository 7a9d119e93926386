import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { admin, cluster, configMap, configmaps, deployments, failure, pod, pods } from './fixtures.ts';

const web = (): KObject => ({ metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { image: 'v1' } } });

describe('createApiHandler update', () => {
  it('treats metadata.resourceVersion as a precondition and its absence as unconditional', async () => {
    const c = await cluster();
    const cm = await c.create(configmaps, 'default', configMap('a', { v: '1' }));
    const v2 = await c.update(configmaps, 'default', { ...cm, data: { v: '2' } });
    expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(Number(cm.metadata.resourceVersion));
    const stale = await failure(c.update(configmaps, 'default', { ...cm, data: { v: '3' } }));
    expect(stale).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(stale.message).toBe('Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
    const { resourceVersion: _rv, ...meta } = cm.metadata;
    const forced = await c.update(configmaps, 'default', { ...cm, metadata: meta, data: { v: '4' } });
    expect(forced.data).toEqual({ v: '4' });
    expect(forced.metadata.uid).toBe(cm.metadata.uid);
  });

  it('answers 404 for a missing object and 400 for a name that differs from the URL', async () => {
    const c = await cluster();
    expect((await failure(c.update(configmaps, 'default', configMap('nope')))).message).toBe('configmaps "nope" not found');
    await c.create(configmaps, 'default', configMap('a'));
    const err = await failure(c.api.update({ verb: 'update', def: configmaps, namespace: 'default', name: 'a', body: configMap('b'), options: {} }, admin));
    expect(err).toMatchObject({ code: 400, message: 'the name of the object (b) does not match the name on the URL (a)' });
  });

  it('keeps server fields, refuses a uid change and bumps generation only for spec changes', async () => {
    const c = await cluster();
    const d = await c.create(deployments, 'default', web());
    const labelled = await c.update(deployments, 'default', { ...d, metadata: { ...d.metadata, labels: { a: 'b' }, creationTimestamp: '2000-01-01T00:00:00Z' } });
    expect(labelled.metadata.generation).toBe(1);
    expect(labelled.metadata.creationTimestamp).toBe(d.metadata.creationTimestamp);
    const scaled = await c.update(deployments, 'default', { ...labelled, spec: { ...(labelled.spec as object), replicas: 5 } });
    expect(scaled.metadata.generation).toBe(2);
    const uid = await failure(c.update(deployments, 'default', { ...scaled, metadata: { ...scaled.metadata, uid: 'other' } }));
    expect(uid.code).toBe(422);
    expect(uid.message).toBe('Deployment.apps "web" is invalid: metadata.uid: Invalid value: "other": field is immutable');
    const immutable = await failure(c.update(deployments, 'default', { ...scaled, spec: { ...(scaled.spec as object), selector: { matchLabels: { app: 'x' } } } }));
    expect(immutable.message).toBe('Deployment.apps "web" is invalid: spec.selector: Invalid value: field is immutable');
  });

  it('writes nothing for an update that changes nothing', async () => {
    const c = await cluster();
    const cm = await c.create(configmaps, 'default', configMap('a', { k: 'v' }));
    const rev = c.store.currentRevision();
    const same = await c.update(configmaps, 'default', cm);
    expect(same.metadata.resourceVersion).toBe(cm.metadata.resourceVersion);
    expect(c.store.currentRevision()).toBe(rev);
  });

  it('ignores status on main writes and everything but status on status writes', async () => {
    const c = await cluster();
    const d = await c.create(deployments, 'default', web());
    const main = await c.update(deployments, 'default', { ...d, status: { replicas: 9 } });
    expect(main.status).toBeUndefined();
    const st = await c.update(deployments, 'default', { ...main, metadata: { ...main.metadata, labels: { sneaky: 'yes' } }, spec: { replicas: 7 }, status: { replicas: 2, observedGeneration: 1 } }, { subresource: 'status' });
    expect(st.status).toEqual({ replicas: 2, observedGeneration: 1 });
    expect((st.spec as { replicas: number }).replicas).toBe(2);
    expect(st.metadata.labels).toBeUndefined();
    expect(st.metadata.generation).toBe(1);
    const staleStatus = await failure(c.update(deployments, 'default', { ...main, status: { replicas: 3 } }, { subresource: 'status' }));
    expect(staleStatus.code).toBe(409);
  });

  it('allows no new finalizers once deletion started, and removes the object when the last one goes', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', { metadata: { name: 'f', finalizers: ['example.com/a', 'example.com/b'] } });
    const marked = await c.remove(configmaps, 'default', 'f');
    expect(marked.metadata.deletionTimestamp).toBe('2026-01-01T12:00:00Z');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(0);
    const added = await failure(c.update(configmaps, 'default', { ...marked, metadata: { ...marked.metadata, finalizers: ['example.com/a', 'example.com/b', 'example.com/c'] } }));
    expect(added.code).toBe(422);
    expect(added.message).toBe('ConfigMap "f" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/c"}');
    const one = await c.update(configmaps, 'default', { ...marked, metadata: { ...marked.metadata, finalizers: ['example.com/b'], deletionTimestamp: undefined } });
    expect(one.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    const gone = await c.update(configmaps, 'default', { ...one, metadata: { ...one.metadata, finalizers: [] } });
    expect(gone.metadata.finalizers).toEqual(['example.com/b']);
    expect(Number(gone.metadata.resourceVersion)).toBe(c.store.currentRevision());
    expect((await failure(c.get(configmaps, 'default', 'f'))).code).toBe(404);
  });

  it('keeps a graceful pod whose finalizers go until the grace period is over', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('p', { metadata: { name: 'p', finalizers: ['example.com/x'] }, spec: { nodeName: 'n1' } }));
    const marked = await c.remove(pods, 'default', 'p');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    const kept = await c.update(pods, 'default', { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    expect(kept.metadata.finalizers).toBeUndefined();
    expect((await c.get(pods, 'default', 'p')).metadata.deletionTimestamp).toBeTruthy();
    // The node agent finishes with grace 0.
    await c.remove(pods, 'default', 'p', { gracePeriodSeconds: 0 });
    expect((await failure(c.get(pods, 'default', 'p'))).code).toBe(404);
  });

  it('dryRun returns the would-be object and writes nothing', async () => {
    const c = await cluster();
    const cm = await c.create(configmaps, 'default', configMap('a', { k: 'v' }));
    const dry = await c.update(configmaps, 'default', { ...cm, data: { k: 'w' } }, { dryRun: true });
    expect(dry.data).toEqual({ k: 'w' });
    expect(dry.metadata.resourceVersion).toBe(cm.metadata.resourceVersion);
    expect((await c.get(configmaps, 'default', 'a')).data).toEqual({ k: 'v' });
  });
});
