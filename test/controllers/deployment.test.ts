import { afterEach, describe, expect, it } from 'vitest';
import { createInformer, inProcessClient, type Client, type Informer } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { apps, core, KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, deploymentController, replicaSetController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

// Real registry, real ReplicaSet and Deployment controllers, in process. A stand-in kubelet marks
// pods Ready (or, for images named "broken", never), as a node would report them.
type Pod = KObject & core.Pod;
type Deployment = KObject & apps.Deployment;
let loops: Component | undefined;
let kubelet: Informer<Pod> | undefined;
afterEach(async () => {
  await loops?.stop?.();
  await kubelet?.stop();
});

let clock = Date.parse('2026-01-01T00:00:00Z');
async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [replicaSetController, (c, inf, l) => deploymentController(c, inf, l, () => clock)], silentLogger);
  await loops.start(new AbortController().signal);
  kubelet = createInformer(client.resource<Pod>('v1', 'pods'));
  const ready = (p: Pod) => {
    if (p.status?.phase === 'Running' || p.metadata.deletionTimestamp || p.spec?.containers[0]?.image === 'broken') return;
    void client.resource('v1', 'pods').patch('default', p.metadata.name!, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }] } }, { subresource: 'status' }).catch(() => undefined);
  };
  kubelet.onAdd(ready);
  kubelet.onUpdate((_o, p) => ready(p));
  kubelet.start();
  return client;
}

const deployment = (image: string, replicas = 4, strategy?: object): KObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, strategy, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } },
});
const get = (c: Client) => c.resource<Deployment>('apps/v1', 'deployments').get('default', 'web');
const rsList = async (c: Client) => (await c.resource<KObject & apps.ReplicaSet>('apps/v1', 'replicasets').list('default')).items;
const livePods = async (c: Client) => (await c.resource<Pod>('v1', 'pods').list('default')).items.filter((p) => !p.metadata.deletionTimestamp);

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn()).slice(0, 800)}`);
}
const rolledOut = (d: Deployment) => d.status?.observedGeneration === d.metadata.generation && d.status?.updatedReplicas === d.spec?.replicas
  && d.status?.replicas === d.spec?.replicas && d.status?.availableReplicas === d.spec?.replicas;

describe('Deployment controller', () => {
  it('rolls out a first revision, with the conditions kubectl rollout status reads', async () => {
    const c = await cluster();
    await c.resource('apps/v1', 'deployments').create('default', deployment('nginx:1'));
    const d = await until('rolled out', () => get(c), rolledOut);
    expect(d.status?.conditions?.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'], ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    const [rs] = await rsList(c);
    expect(rs!.metadata.name).toMatch(/^web-[a-z0-9]+$/);
    expect(rs!.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(rs!.spec?.selector.matchLabels?.['pod-template-hash']).toBe(rs!.metadata.name!.slice(4));
    expect(await livePods(c)).toHaveLength(4);
  });

  it('rolls a new template within maxSurge and maxUnavailable, keeping history', async () => {
    const c = await cluster();
    await c.resource('apps/v1', 'deployments').create('default', deployment('nginx:1', 4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }));
    await until('v1', () => get(c), rolledOut);
    let maxPods = 0;
    const watch = setInterval(() => void livePods(c).then((p) => (maxPods = Math.max(maxPods, p.length))), 2);
    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    const d = await until('v2', () => get(c), (x) => rolledOut(x) && x.metadata.generation === 2);
    clearInterval(watch);
    expect(maxPods).toBeLessThanOrEqual(5); // replicas + maxSurge
    const sets = await rsList(c);
    expect(sets.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.replicas]).sort()).toEqual([['1', 0], ['2', 4]]);
    expect((await livePods(c)).every((p) => p.spec?.containers[0]?.image === 'nginx:2')).toBe(true);
    expect(d.status?.conditions?.find((x) => x.type === 'Progressing')?.message).toMatch(/^ReplicaSet "web-[a-z0-9]+" has successfully progressed\.$/);
  });

  it('does not take old pods away while new ones are not ready', async () => {
    const c = await cluster();
    await c.resource('apps/v1', 'deployments').create('default', deployment('nginx:1', 2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }));
    await until('v1', () => get(c), rolledOut);
    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'broken' }] } } } });
    await until('surged', () => livePods(c), (p) => p.length === 3);
    await new Promise((r) => setTimeout(r, 200));
    const pods = await livePods(c);
    expect(pods.filter((p) => p.spec?.containers[0]?.image === 'nginx:1')).toHaveLength(2);
    expect(pods.filter((p) => p.spec?.containers[0]?.image === 'broken')).toHaveLength(1);
    const d = await get(c);
    expect(d.status?.conditions?.find((x) => x.type === 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    // Rolling back to the old template reuses its ReplicaSet as the newest revision.
    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } } });
    await until('back on v1', () => get(c), (x) => rolledOut(x) && x.metadata.generation === 3);
    const revs = (await rsList(c)).map((rs) => [rs.spec?.template?.spec?.containers[0]?.image, rs.metadata.annotations?.['deployment.kubernetes.io/revision']]).sort();
    expect(revs).toEqual([['broken', '2'], ['nginx:1', '3']]);
  });

  it('Recreate stops every old pod before starting new ones', async () => {
    const c = await cluster();
    await c.resource('apps/v1', 'deployments').create('default', deployment('nginx:1', 3, { type: 'Recreate' }));
    await until('v1', () => get(c), rolledOut);
    let mixed = false;
    const watch = setInterval(() => void livePods(c).then((p) => {
      const images = new Set(p.map((x) => x.spec?.containers[0]?.image));
      if (images.size > 1) mixed = true;
    }), 2);
    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    await until('v2', () => get(c), (x) => rolledOut(x) && x.metadata.generation === 2);
    clearInterval(watch);
    expect(mixed).toBe(false);
  });

  it('auto-rollback returns a Deployment that missed its deadline to its last good revision', async () => {
    const c = await cluster();
    const d0 = deployment('nginx:1', 2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    d0.metadata.annotations = { 'skiff.io/auto-rollback': 'true' };
    (d0 as Deployment).spec!.progressDeadlineSeconds = 1;
    await c.resource('apps/v1', 'deployments').create('default', d0);
    await until('v1', () => get(c), rolledOut);
    await until('v1 marked good', () => rsList(c), (l) => l[0]?.metadata.annotations?.['skiff.io/rollout-complete'] === 'true');
    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'broken' }] } } } });
    await until('surged', () => livePods(c), (p) => p.length === 3);
    clock += 5_000; // the deadline passes; the controller re-checks it on its own
    const d = await until('rolled back', () => get(c), (x) => x.spec?.template?.spec?.containers[0]?.image === 'nginx:1' && rolledOut(x));
    expect(d.spec?.template?.metadata?.labels).toEqual({ app: 'web' });
    const revs = (await rsList(c)).map((rs) => [rs.spec?.template?.spec?.containers[0]?.image, rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.replicas]).sort();
    expect(revs).toEqual([['broken', '2', 0], ['nginx:1', '3', 2]]);
    const events = (await c.resource<KObject & { reason?: string; message?: string }>('v1', 'events').list('default')).items.filter((e) => e.reason === 'DeploymentRollback');
    expect(events.map((e) => e.message)).toEqual([expect.stringMatching(/^Rolled back deployment "web" to revision 1: ReplicaSet "web-[a-z0-9]+" has timed out progressing\.$/)]);
  });

  it('without the annotation a missed deadline is only reported', async () => {
    const c = await cluster();
    const d0 = deployment('nginx:1', 1);
    (d0 as Deployment).spec!.progressDeadlineSeconds = 1;
    await c.resource('apps/v1', 'deployments').create('default', d0);
    await until('v1', () => get(c), rolledOut);
    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'broken' }] } } } });
    await until('surged', () => livePods(c), (p) => p.length === 2);
    clock += 5_000;
    const d = await until('deadline', () => get(c), (x) => x.status?.conditions?.some((k) => k.reason === 'ProgressDeadlineExceeded') ?? false);
    expect(d.spec?.template?.spec?.containers[0]?.image).toBe('broken');
  });

  it('a paused Deployment scales but does not roll until resumed', async () => {
    const c = await cluster();
    await c.resource('apps/v1', 'deployments').create('default', deployment('nginx:1', 2));
    await until('v1', () => get(c), rolledOut);
    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'merge', { spec: { paused: true } });
    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'strategic', { spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    const paused = await until('scaled while paused', () => get(c), (x) => x.status?.observedGeneration === x.metadata.generation && x.status?.availableReplicas === 3);
    expect(paused.status?.conditions?.find((k) => k.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect((await rsList(c)).length).toBe(1);
    expect((await livePods(c)).every((p) => p.spec?.containers[0]?.image === 'nginx:1')).toBe(true);
    await c.resource('apps/v1', 'deployments').patch('default', 'web', 'merge', { spec: { paused: false } });
    await until('v2 after resume', () => get(c), (x) => rolledOut(x) && x.status?.conditions?.some((k) => k.reason === 'NewReplicaSetAvailable') === true);
    expect((await livePods(c)).every((p) => p.spec?.containers[0]?.image === 'nginx:2')).toBe(true);
  });
});
