import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, deploymentController, garbageCollector, replicaSetController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [replicaSetController, deploymentController, garbageCollector], silentLogger);
  await loops.start(new AbortController().signal);
  return client;
}
const deployment: KObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
};
const names = async (c: Client, apiVersion: string, plural: string) => (await c.resource(apiVersion, plural).list('default')).items.map((o) => o.metadata.name!);
async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn()).slice(0, 500)}`);
}
const ready = async (c: Client) => {
  await c.resource('apps/v1', 'deployments').create('default', deployment);
  await until('2 pods', () => names(c, 'v1', 'pods'), (p) => p.length === 2);
};

describe('garbage collector', () => {
  it('deletes the ReplicaSets and pods of a deleted Deployment (background)', async () => {
    const c = await cluster();
    await ready(c);
    await c.resource('apps/v1', 'deployments').delete('default', 'web', { propagationPolicy: 'Background' });
    await until('replicasets gone', () => names(c, 'apps/v1', 'replicasets'), (r) => r.length === 0);
    await until('pods gone', () => names(c, 'v1', 'pods'), (p) => p.length === 0);
  });

  it('holds a foreground-deleted owner until its dependents are gone', async () => {
    const c = await cluster();
    await ready(c);
    const marked = await c.resource('apps/v1', 'deployments').delete('default', 'web', { propagationPolicy: 'Foreground' });
    expect(marked.metadata.finalizers).toContain('foregroundDeletion');
    await until('deployment gone', () => names(c, 'apps/v1', 'deployments'), (d) => d.length === 0);
    expect(await names(c, 'apps/v1', 'replicasets')).toEqual([]);
    expect(await names(c, 'v1', 'pods')).toEqual([]);
  });

  it('orphans dependents when asked, removing only the reference', async () => {
    const c = await cluster();
    await ready(c);
    const [rsName] = await names(c, 'apps/v1', 'replicasets');
    await c.resource('apps/v1', 'deployments').delete('default', 'web', { propagationPolicy: 'Orphan' });
    await until('deployment gone', () => names(c, 'apps/v1', 'deployments'), (d) => d.length === 0);
    const rs = await until('rs released', () => c.resource('apps/v1', 'replicasets').get('default', rsName!), (r) => !r.metadata.ownerReferences);
    expect(rs.metadata.name).toBe(rsName);
    expect(await names(c, 'v1', 'pods')).toHaveLength(2);
  });

  it('drops a dangling reference but keeps an object that still has a live owner', async () => {
    const c = await cluster();
    const keep = await c.resource('v1', 'configmaps').create('default', { metadata: { name: 'owner' } });
    await c.resource('v1', 'configmaps').create('default', { metadata: { name: 'dep', ownerReferences: [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: keep.metadata.uid! },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'no-such-uid' },
    ] } });
    const dep = await until('dangling ref removed', () => c.resource('v1', 'configmaps').get('default', 'dep'), (d) => d.metadata.ownerReferences?.length === 1);
    expect(dep.metadata.ownerReferences?.[0]?.name).toBe('owner');
    await c.resource('v1', 'configmaps').delete('default', 'owner');
    await until('dep collected', () => names(c, 'v1', 'configmaps'), (n) => !n.includes('dep'));
  });
});
