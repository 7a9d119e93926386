import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { core, KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, replicaSetController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

// The real registry over the memory store through the in-process client; no kubelet, so pod
// readiness is written by the test as a kubelet would.
let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [(c, inf, l) => replicaSetController(c, inf, l)], silentLogger);
  await loops.start(new AbortController().signal);
  return client;
}

const rs = (replicas: number): KObject => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});
type Pod = KObject & core.Pod;
const podsOf = async (c: Client) => (await c.resource<Pod>('v1', 'pods').list('default')).items.filter((p) => !p.metadata.deletionTimestamp);

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await get();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await get()).slice(0, 500)}`);
}

describe('ReplicaSet controller', () => {
  it('creates owned pods from the template, exactly as many as asked', async () => {
    const c = await cluster();
    const set = await c.resource('apps/v1', 'replicasets').create('default', rs(3));
    const pods = await until('3 pods', () => podsOf(c), (p) => p.length === 3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await new Promise((r) => setTimeout(r, 100)); // no double creates from a lagging cache
    expect(await podsOf(c)).toHaveLength(3);
    const st = await until('status', () => c.resource('apps/v1', 'replicasets').get('default', 'web'), (x) => (x.status as { replicas?: number })?.replicas === 3);
    expect(st.status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 });
  });

  it('replaces a deleted pod, scales down deleting unready pods first, and counts ready ones', async () => {
    const c = await cluster();
    await c.resource('apps/v1', 'replicasets').create('default', rs(3));
    const pods = await until('3 pods', () => podsOf(c), (p) => p.length === 3);
    // Two become ready, as a kubelet would report.
    for (const p of pods.slice(0, 2)) {
      await c.resource('v1', 'pods').patch('default', p.metadata.name!, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    }
    await until('2 ready', () => c.resource('apps/v1', 'replicasets').get('default', 'web'), (x) => (x.status as { readyReplicas?: number })?.readyReplicas === 2);
    await c.resource('v1', 'pods').delete('default', pods[0]!.metadata.name!, { gracePeriodSeconds: 0 });
    const after = await until('replaced', () => podsOf(c), (p) => p.length === 3 && !p.some((x) => x.metadata.name === pods[0]!.metadata.name));
    expect(after.map((p) => p.metadata.name)).toContain(pods[1]!.metadata.name);
    await c.resource('apps/v1', 'replicasets').patch('default', 'web', 'merge', { spec: { replicas: 1 } });
    const left = await until('scaled to 1', () => podsOf(c), (p) => p.length === 1);
    expect(left[0]!.metadata.name).toBe(pods[1]!.metadata.name); // the ready one stays
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
    const c = await cluster();
    await c.resource('v1', 'pods').create('default', { metadata: { name: 'orphan', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject);
    await c.resource('apps/v1', 'replicasets').create('default', rs(2));
    const pods = await until('2 pods', () => podsOf(c), (p) => p.length === 2 && p.every((x) => x.metadata.ownerReferences?.length));
    expect(pods.map((p) => p.metadata.name)).toContain('orphan');
    await c.resource('v1', 'pods').patch('default', 'orphan', 'merge', { metadata: { labels: { app: 'other' } } });
    const released = await until('released', () => c.resource<Pod>('v1', 'pods').get('default', 'orphan'), (p) => !p.metadata.ownerReferences);
    expect(released.metadata.labels).toEqual({ app: 'other' });
    await until('a replacement', () => podsOf(c), (p) => p.filter((x) => x.metadata.labels?.app === 'web').length === 2);
  });
});
