import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, disruptionController, disruptionDeletionTimeoutMs, stalePodDisruptionTimeoutMs } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

const start = Date.parse('2026-01-01T00:00:00Z');
let clock = start;

async function cluster(): Promise<Client> {
  clock = start;
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources, clock: () => new Date(clock) }), resources);
  loops = controlLoops(() => client, [(c, inf, l) => disruptionController(c, inf, l, { now: () => clock })], silentLogger);
  await loops.start(new AbortController().signal);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  return client;
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn().catch((e: Error) => e.message)).slice(0, 800)}`);
}

type Owner = { apiVersion: string; kind: string; name: string; uid: string };
const ownerOf = (o: KObject, apiVersion: string, kind: string): Owner => ({ apiVersion, kind, name: o.metadata.name!, uid: o.metadata.uid! });

async function replicaSet(c: Client, name: string, replicas: number, deployment?: KObject): Promise<KObject> {
  const owner = deployment ? { ownerReferences: [{ ...ownerOf(deployment, 'apps/v1', 'Deployment'), controller: true }] } : {};
  return c.resource('apps/v1', 'replicasets').create('default', {
    metadata: { name, ...owner }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  } as KObject);
}

async function pod(c: Client, name: string, ready: boolean, owner?: Owner): Promise<void> {
  await c.resource('v1', 'pods').create('default', {
    metadata: { name, labels: { app: 'web' }, ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
  } as KObject);
  await setReady(c, name, ready);
}
const setReady = (c: Client, name: string, ready: boolean) =>
  c.resource('v1', 'pods').patch('default', name, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, { subresource: 'status' });

type Status = { currentHealthy?: number; desiredHealthy?: number; expectedPods?: number; disruptionsAllowed?: number; observedGeneration?: number; disruptedPods?: Record<string, string>; conditions?: { type: string; status: string; reason: string; message: string }[] };
const pdbStatus = async (c: Client, name: string) => ((await c.resource('policy/v1', 'poddisruptionbudgets').get('default', name)) as KObject & { status?: Status }).status ?? {};
const budget = (c: Client, name: string, spec: Record<string, unknown>) =>
  c.resource('policy/v1', 'poddisruptionbudgets').create('default', { metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } } as KObject);

describe('disruptionController', () => {
  it('counts healthy pods against minAvailable and sets the DisruptionAllowed condition', async () => {
    const c = await cluster();
    const rs = await replicaSet(c, 'web-1', 3);
    for (const n of ['a', 'b', 'c']) await pod(c, n, true, ownerOf(rs, 'apps/v1', 'ReplicaSet'));
    await budget(c, 'web', { minAvailable: 2 });
    const s = await until('status', () => pdbStatus(c, 'web'), (x) => x.observedGeneration === 1 && x.currentHealthy === 3);
    expect(s).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
    expect(s.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1 })]);

    await setReady(c, 'b', false);
    const s2 = await until('insufficient', () => pdbStatus(c, 'web'), (x) => x.currentHealthy === 2);
    expect(s2).toMatchObject({ desiredHealthy: 2, disruptionsAllowed: 0 });
    expect(s2.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });

    // A spec change is observed: generation 2.
    await c.resource('policy/v1', 'poddisruptionbudgets').patch('default', 'web', 'merge', { spec: { minAvailable: 1 } });
    const s3 = await until('gen 2', () => pdbStatus(c, 'web'), (x) => x.observedGeneration === 2);
    expect(s3).toMatchObject({ desiredHealthy: 1, disruptionsAllowed: 1 });
  });

  it('takes maxUnavailable and percentages from the scale of the pods\' controllers (a Deployment over its ReplicaSet)', async () => {
    const c = await cluster();
    const d = await c.resource('apps/v1', 'deployments').create('default', {
      metadata: { name: 'web' }, spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    } as KObject);
    const rs = await replicaSet(c, 'web-1', 4, d);
    for (const n of ['a', 'b', 'c']) await pod(c, n, true, ownerOf(rs, 'apps/v1', 'ReplicaSet'));
    await budget(c, 'max', { maxUnavailable: '50%' });
    const s = await until('max', () => pdbStatus(c, 'max'), (x) => x.observedGeneration === 1);
    // 4 expected (the Deployment's replicas), 50% of 4 = 2 may be unavailable, 3 healthy.
    expect(s).toMatchObject({ expectedPods: 4, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });

    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'merge', { spec: { replicas: 6 } });
    const s2 = await until('rescaled', () => pdbStatus(c, 'max'), (x) => x.expectedPods === 6);
    expect(s2).toMatchObject({ desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 });
    await c.resource('policy/v1', 'poddisruptionbudgets').delete('default', 'max');

    await budget(c, 'pct', { minAvailable: '60%' });
    // ceil(60% of 6) = 4.
    expect(await until('pct', () => pdbStatus(c, 'pct'), (x) => x.observedGeneration === 1)).toMatchObject({ expectedPods: 6, desiredHealthy: 4, disruptionsAllowed: 0 });
  });

  it('fails safe when a pod\'s controller cannot be found, and allows nothing while no pods match', async () => {
    const c = await cluster();
    await budget(c, 'empty', { minAvailable: 0 });
    const e = await until('empty', () => pdbStatus(c, 'empty'), (x) => x.observedGeneration === 1);
    expect(e).toMatchObject({ currentHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 });
    expect(e.conditions?.[0]).toMatchObject({ reason: 'InsufficientPods' });

    await pod(c, 'orphan', true, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: '0b5d6f0e-0000-4000-8000-000000000000' });
    await budget(c, 'web', { maxUnavailable: 1 });
    const s = await until('failed', () => pdbStatus(c, 'web'), (x) => x.conditions?.[0]?.reason === 'SyncFailed');
    expect(s.disruptionsAllowed).toBe(0);
    expect(s.conditions?.[0]).toMatchObject({ status: 'False', message: 'found no controllers for pod "orphan"' });
  });

  it('keeps pods the eviction API let go out of the healthy count until the deletion timeout passes', async () => {
    const c = await cluster();
    const rs = await replicaSet(c, 'web-1', 3);
    for (const n of ['a', 'b', 'c']) await pod(c, n, true, ownerOf(rs, 'apps/v1', 'ReplicaSet'));
    await budget(c, 'web', { minAvailable: 1 });
    await until('ready', () => pdbStatus(c, 'web'), (x) => x.disruptionsAllowed === 2);

    // The eviction API records the pod and deletes it gracefully (the pod stays, terminating).
    await c.resource('v1', 'pods').createSubresource('default', 'a', 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'a', namespace: 'default' } } as KObject);
    const s = await until('evicted', () => pdbStatus(c, 'web'), (x) => x.currentHealthy === 2 && !x.disruptedPods);
    expect(s).toMatchObject({ disruptionsAllowed: 1 });
    expect((await c.resource('v1', 'pods').get('default', 'a')).metadata.deletionTimestamp).toBeDefined(); // being deleted: no need to remember it

    // A pod recorded as disrupted but never deleted counts again after the timeout.
    const cur = await c.resource('policy/v1', 'poddisruptionbudgets').get('default', 'web') as KObject & { status: Status };
    await c.resource('policy/v1', 'poddisruptionbudgets').updateStatus('default', { ...cur, status: { ...cur.status, disruptionsAllowed: 0, disruptedPods: { b: new Date(clock).toISOString().replace('.000Z', 'Z') } } } as KObject);
    const held = await until('held', () => pdbStatus(c, 'web'), (x) => x.currentHealthy === 1);
    expect(held).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { b: expect.any(String) } });

    clock += disruptionDeletionTimeoutMs + 1000;
    await c.resource('v1', 'pods').patch('default', 'c', 'merge', { metadata: { labels: { app: 'web', touched: 'yes' } } });
    const back = await until('timed out', () => pdbStatus(c, 'web'), (x) => x.currentHealthy === 2);
    expect(back.disruptedPods).toBeUndefined();
    expect(back.disruptionsAllowed).toBe(1);
  });

  it('clears a DisruptionTarget condition that outlives its pod\'s deletion by the timeout', async () => {
    const c = await cluster();
    await pod(c, 'kept', true);
    const marked = [{ type: 'Ready', status: 'True' }, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: new Date(clock).toISOString().replace('.000Z', 'Z') }];
    await c.resource('v1', 'pods').patch('default', 'kept', 'merge', { status: { conditions: marked } }, { subresource: 'status' });
    type Cond = { type: string; status: string };
    const target = async () => ((await c.resource('v1', 'pods').get('default', 'kept')) as KObject & { status: { conditions: Cond[] } }).status.conditions.find((x) => x.type === 'DisruptionTarget');
    await new Promise((r) => setTimeout(r, 100));
    expect(await target()).toMatchObject({ status: 'True' });

    clock += stalePodDisruptionTimeoutMs + 1000;
    await c.resource('v1', 'pods').patch('default', 'kept', 'merge', { metadata: { labels: { app: 'web', touched: 'yes' } } });
    await until('cleared', target, (x) => x?.status === 'False');
    expect(await target()).toEqual({ type: 'DisruptionTarget', status: 'False', lastProbeTime: null, lastTransitionTime: new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  });
});
