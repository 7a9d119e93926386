import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { admin, cluster, configmaps, deployments, failure, pdbs, pod, pods, type Cluster } from './fixtures.ts';

const web = (): KObject => ({
  metadata: { name: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] } },
});

const bind = (c: Cluster, name: string, node: string, extra: Partial<KObject> = {}) =>
  c.api.create({ verb: 'create', def: pods, namespace: 'default', name, subresource: 'binding', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node }, ...extra }, options: {} }, admin);

const evict = (c: Cluster, name: string, deleteOptions?: object) =>
  c.api.create({ verb: 'create', def: pods, namespace: 'default', name, subresource: 'eviction', body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...(deleteOptions ? { deleteOptions } : {}) }, options: {} }, admin);

describe('createApiHandler scale subresource', () => {
  it('serves an autoscaling/v1 Scale view', async () => {
    const c = await cluster();
    const d = await c.create(deployments, 'default', web());
    await c.patch(deployments, 'default', 'web', { status: { replicas: 1 } }, { subresource: 'status' });
    const scale = await c.get(deployments, 'default', 'web', { subresource: 'scale' });
    expect(scale).toEqual({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'default', uid: d.metadata.uid, resourceVersion: String(c.store.currentRevision()), creationTimestamp: d.metadata.creationTimestamp },
      spec: { replicas: 2 },
      status: { replicas: 1, selector: 'app=web,tier in (fe)' },
    });
  });

  it('scales with PUT and merge PATCH through the main update rules', async () => {
    const c = await cluster();
    await c.create(deployments, 'default', web());
    const s1 = await c.patch(deployments, 'default', 'web', { spec: { replicas: 4 } }, { subresource: 'scale' });
    expect(s1).toMatchObject({ kind: 'Scale', spec: { replicas: 4 } });
    const d = await c.get(deployments, 'default', 'web');
    expect((d.spec as { replicas: number }).replicas).toBe(4);
    expect(d.metadata.generation).toBe(2);
    const s2 = await c.update(deployments, 'default', { ...s1, spec: { replicas: 0 } }, { subresource: 'scale' });
    expect(s2.spec).toEqual({ replicas: 0 });
    const stale = await failure(c.update(deployments, 'default', { ...s1, spec: { replicas: 3 } }, { subresource: 'scale' }));
    expect(stale).toMatchObject({ code: 409, message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again' });
    const bad = await failure(c.patch(deployments, 'default', 'web', { spec: { replicas: -1 } }, { subresource: 'scale' }));
    expect(bad).toMatchObject({ code: 422, message: 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' });
  });

  it('answers 404 for subresources a kind does not declare', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', { metadata: { name: 'a' } });
    expect((await failure(c.get(configmaps, 'default', 'a', { subresource: 'scale' }))).message).toBe('the server could not find the requested resource');
    expect((await failure(c.get(configmaps, 'default', 'a', { subresource: 'status' }))).code).toBe(404);
    expect((await failure(c.get(deployments, 'default', 'a', { subresource: 'bogus' }))).code).toBe(404);
  });
});

describe('createApiHandler pods/binding', () => {
  it('binds an unbound pod once', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('p'));
    const res = await bind(c, 'p', 'n1', { metadata: { name: 'p', annotations: { 'scheduler.example/score': '9' } } });
    expect(res.created).toBe(true);
    expect(res.object).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    const p = await c.get(pods, 'default', 'p');
    expect((p.spec as { nodeName: string }).nodeName).toBe('n1');
    expect(p.metadata.annotations).toEqual({ 'scheduler.example/score': '9' });
    expect((p.status as { conditions: unknown[] }).conditions).toEqual([{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T12:00:00Z' }]);
    const again = await failure(bind(c, 'p', 'n2'));
    expect(again).toMatchObject({ code: 409, message: 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "n1"' });
    expect((await failure(bind(c, 'ghost', 'n1'))).code).toBe(404);
    expect((await failure(bind(c, 'p', ''))).code).toBe(422);
  });
});

describe('createApiHandler binding and eviction bodies', () => {
  const post = (c: Cluster, sub: 'binding' | 'eviction', body: object, fieldValidation?: 'Strict') =>
    c.api.create({ verb: 'create', def: pods, namespace: 'default', name: 'p', subresource: sub, body: body as KObject, options: fieldValidation ? { fieldValidation } : {} }, admin);
  const binding = (extra: object) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1', ...extra } });
  const eviction = (extra: object) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'default' }, ...extra });

  it('are decoded as their kinds: unknown fields per fieldValidation, wrong JSON types refused', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('p'));
    expect(await failure(post(c, 'binding', binding({ nodeName: 'n1' }), 'Strict'))).toMatchObject({
      code: 400, message: 'Binding in version "v1" cannot be handled as a Binding: strict decoding error: unknown field "target.nodeName"',
    });
    expect(await failure(post(c, 'eviction', eviction({ deleteOptions: { gracePeriodSeconds: '0' } })))).toMatchObject({
      code: 400, message: 'Eviction in version "v1" cannot be handled as a Eviction: json: cannot unmarshal string into Go struct field DeleteOptions.deleteOptions.gracePeriodSeconds of type int64',
    });
    expect((await c.get(pods, 'default', 'p')).spec).not.toHaveProperty('nodeName');
    const bound = await post(c, 'binding', binding({ nodeName: 'n1' }));
    expect(bound.warnings).toEqual(['unknown field "target.nodeName"']);
    expect(((await c.get(pods, 'default', 'p')).spec as { nodeName: string }).nodeName).toBe('n1');
    const evicted = await post(c, 'eviction', eviction({ deleteOptions: { gracePeriodSeconds: 0 }, reason: 'x' }));
    expect(evicted).toMatchObject({ warnings: ['unknown field "reason"'], object: { status: 'Success' } });
  });
});

describe('createApiHandler pods/eviction', () => {
  it('deletes a pod without a budget, and honours one that allows no disruption', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('free', { spec: { nodeName: 'n1' } }));
    await c.update(pods, 'default', { ...(await c.get(pods, 'default', 'free')), status: { phase: 'Running' } }, { subresource: 'status' });
    expect((await evict(c, 'free', { gracePeriodSeconds: 0 })).object).toMatchObject({ status: 'Success' });
    expect((await failure(c.get(pods, 'default', 'free'))).code).toBe(404);

    await c.create(pdbs, 'default', { metadata: { name: 'budget' }, spec: { selector: { matchLabels: { app: 'db' } } } });
    await c.update(pdbs, 'default', { ...(await c.get(pdbs, 'default', 'budget')), status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, observedGeneration: 1 } }, { subresource: 'status' });
    await c.create(pods, 'default', pod('db', { metadata: { name: 'db', labels: { app: 'db' } }, spec: { nodeName: 'n1' } }));
    const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    await c.update(pods, 'default', { ...(await c.get(pods, 'default', 'db')), status: running }, { subresource: 'status' });
    const denied = await failure(evict(c, 'db'));
    expect(denied).toMatchObject({ code: 429, reason: 'TooManyRequests', message: "Cannot evict pod as it would violate the pod's disruption budget." });
    expect((await c.get(pods, 'default', 'db')).metadata.deletionTimestamp).toBeUndefined();

    await c.patch(pdbs, 'default', 'budget', { status: { disruptionsAllowed: 1 } }, { subresource: 'status' });
    await evict(c, 'db');
    const marked = await c.get(pods, 'default', 'db');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((marked.status as { conditions: Array<{ type: string; reason?: string }> }).conditions.find((x) => x.type === 'DisruptionTarget')?.reason).toBe('EvictionByEvictionAPI');
    const budget = await c.get(pdbs, 'default', 'budget');
    expect(budget.status).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { db: '2026-01-01T12:00:00Z' } });
  });
});
