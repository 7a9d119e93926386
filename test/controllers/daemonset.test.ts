import { afterEach, describe, expect, it } from 'vitest';
import { createInformer, inProcessClient, type Client, type Informer } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { apps, core, KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, daemonSetController } from '../../pkg/controllers/index.ts';
import { scheduler } from '../../pkg/scheduler/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

// Real registry, scheduler and DaemonSet controller in process; a stand-in kubelet marks bound
// pods Ready as a node would.
type Pod = KObject & core.Pod;
let loops: Component | undefined;
let kubelet: Informer<Pod> | undefined;
afterEach(async () => {
  await loops?.stop?.();
  await kubelet?.stop();
});

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [scheduler, daemonSetController], silentLogger);
  await loops.start(new AbortController().signal);
  kubelet = createInformer(client.resource<Pod>('v1', 'pods'));
  const ready = (p: Pod) => {
    if (!p.spec?.nodeName || p.status?.phase === 'Running' || p.metadata.deletionTimestamp) return;
    void client.resource('v1', 'pods').patch('default', p.metadata.name!, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' }).catch(() => undefined);
  };
  kubelet.onAdd(ready);
  kubelet.onUpdate((_o, p) => ready(p));
  kubelet.start();
  return client;
}

const node = (name: string, labels: Record<string, string> = {}, taints?: core.Taint[]): KObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints },
  status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});
const ds = (image: string, nodeSelector?: Record<string, string>): KObject => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector, containers: [{ name: 'c', image }] } } },
});
const placed = async (c: Client) => (await c.resource<Pod>('v1', 'pods').list('default')).items.filter((p) => !p.metadata.deletionTimestamp)
  .map((p) => `${p.spec?.nodeName ?? '-'}:${p.spec?.containers[0]?.image}`).sort();
async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn()).slice(0, 500)}`);
}

describe('DaemonSet controller', () => {
  it('runs one pod per eligible node, follows nodes, and rolls a new template', async () => {
    const c = await cluster();
    await c.resource('v1', 'nodes').create(undefined, node('a'));
    await c.resource('v1', 'nodes').create(undefined, node('b'));
    await c.resource('v1', 'nodes').create(undefined, node('gpu', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]));
    await c.resource('apps/v1', 'daemonsets').create('default', ds('v1'));
    expect(await until('a and b', () => placed(c), (p) => p.length === 2 && !p.some((x) => x.startsWith('-')))).toEqual(['a:v1', 'b:v1']);

    await c.resource('v1', 'nodes').create(undefined, node('c'));
    expect(await until('c joins', () => placed(c), (p) => p.length === 3 && !p.some((x) => x.startsWith('-')))).toEqual(['a:v1', 'b:v1', 'c:v1']);
    const st = await until('status', () => c.resource<KObject & apps.DaemonSet>('apps/v1', 'daemonsets').get('default', 'agent'), (d) => d.status?.numberReady === 3);
    expect(st.status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberMisscheduled: 0, numberAvailable: 3, updatedNumberScheduled: 3 });

    await c.resource('apps/v1', 'daemonsets').patch('default', 'agent', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } });
    expect(await until('rolled', () => placed(c), (p) => p.length === 3 && p.every((x) => x.endsWith(':v2') && !x.startsWith('-')))).toEqual(['a:v2', 'b:v2', 'c:v2']);

    await c.resource('apps/v1', 'daemonsets').patch('default', 'agent', 'merge', { spec: { template: { spec: { nodeSelector: { zone: 'x' } } } } });
    await c.resource('v1', 'nodes').patch(undefined, 'b', 'merge', { metadata: { labels: { zone: 'x' } } });
    expect(await until('only b', () => placed(c), (p) => p.length === 1 && !p[0]!.startsWith('-'))).toEqual(['b:v2']);
  });

  it('keeps its history in ControllerRevisions, renumbering a template that comes back', async () => {
    const c = await cluster();
    await c.resource('v1', 'nodes').create(undefined, node('a'));
    const revs = async () => (await c.resource<KObject & apps.ControllerRevision>('apps/v1', 'controllerrevisions').list('default')).items
      .map((r) => `${r.revision}:${(r.data as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers[0]!.image}`).sort();
    await c.resource('apps/v1', 'daemonsets').create('default', ds('one'));
    await until('first revision', revs, (r) => r.length === 1);
    await c.resource('apps/v1', 'daemonsets').patch('default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'two' }] } } } });
    expect(await until('second revision', revs, (r) => r.length === 2)).toEqual(['1:one', '2:two']);
    await c.resource('apps/v1', 'daemonsets').patch('default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'one' }] } } } });
    expect(await until('renumbered', revs, (r) => r.includes('3:one'))).toEqual(['2:two', '3:one']);
    const r = (await c.resource<KObject & apps.ControllerRevision>('apps/v1', 'controllerrevisions').list('default')).items[0]!;
    expect(r.metadata.labels).toMatchObject({ app: 'agent', 'controller-revision-hash': expect.any(String) });
    expect(r.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'DaemonSet', name: 'agent', controller: true })]);
    expect(await until('pods on the template', () => placed(c), (p) => p.length === 1 && p[0] === 'a:one')).toEqual(['a:one']);
  });
});
