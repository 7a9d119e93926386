import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { core, KObject } from '../../pkg/api/types/index.ts';
import { controlLoops } from '../../pkg/controllers/index.ts';
import { scheduler } from '../../pkg/scheduler/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

// The real registry over the memory store, through the in-process client; no HTTP.
let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

async function cluster(): Promise<Client> {
  const api = createApiHandler({ store: await openStore('memory:'), resources });
  const client = inProcessClient(api, resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [(c, inf, l) => scheduler(c, inf, l)], silentLogger);
  await loops.start(new AbortController().signal);
  return client;
}

const node = (name: string, opts: { cpu?: string; memory?: string; pods?: string; ready?: boolean; labels?: Record<string, string>; taints?: core.Taint[]; unschedulable?: boolean } = {}): KObject => ({
  apiVersion: 'v1', kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
  spec: { taints: opts.taints, unschedulable: opts.unschedulable },
  status: {
    allocatable: { cpu: opts.cpu ?? '2', memory: opts.memory ?? '4Gi', pods: opts.pods ?? '110' },
    capacity: { cpu: opts.cpu ?? '2', memory: opts.memory ?? '4Gi', pods: opts.pods ?? '110' },
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
  },
});
const pod = (name: string, spec: Partial<core.PodSpec> = {}, cpu?: string): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...spec },
});

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await get();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out`);
}
const getPod = (c: Client, name: string) => c.resource<KObject & core.Pod>('v1', 'pods').get('default', name);

describe('scheduler', () => {
  it('binds pods to nodes that fit, spreading load, and records Scheduled events', async () => {
    const c = await cluster();
    for (const n of ['a', 'b']) await c.resource('v1', 'nodes').create(undefined, node(n));
    for (let i = 0; i < 4; i++) await c.resource('v1', 'pods').create('default', pod(`p${i}`, {}, '500m'));
    const placed = await Promise.all([0, 1, 2, 3].map((i) => until(`p${i} bound`, () => getPod(c, `p${i}`), (p) => !!p.spec?.nodeName)));
    const perNode = placed.reduce<Record<string, number>>((m, p) => ({ ...m, [p.spec!.nodeName!]: (m[p.spec!.nodeName!] ?? 0) + 1 }), {});
    expect(perNode).toEqual({ a: 2, b: 2 });
    const events = await until('events', () => c.resource('v1', 'events').list('default'), (l) => l.items.length >= 4);
    expect(events.items.map((e) => (e as { reason?: string }).reason)).toContain('Scheduled');
    expect((events.items[0] as { source?: object }).source).toEqual({ component: 'default-scheduler' });
  });

  it('says why a pod fits nowhere, as upstream, and places it once room appears', async () => {
    const c = await cluster();
    await c.resource('v1', 'nodes').create(undefined, node('small', { cpu: '1' }));
    await c.resource('v1', 'nodes').create(undefined, node('tainted', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
    await c.resource('v1', 'nodes').create(undefined, node('down', { ready: false }));
    await c.resource('v1', 'nodes').create(undefined, node('picky', { labels: { disk: 'hdd' } }));
    await c.resource('v1', 'pods').create('default', pod('big', { nodeSelector: { disk: 'ssd' }, affinity: undefined }, '1500m'));
    const p = await until('unschedulable', () => getPod(c, 'big'), (x) => x.status?.conditions?.some((k) => k.type === 'PodScheduled' && k.status === 'False') ?? false);
    const cond = p.status!.conditions!.find((k) => k.type === 'PodScheduled')!;
    expect(cond.reason).toBe('Unschedulable');
    expect(cond.message).toBe("0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were not ready, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.");
    await c.resource('v1', 'nodes').create(undefined, node('fast', { labels: { disk: 'ssd' } }));
    expect((await until('bound after a node joined', () => getPod(c, 'big'), (x) => !!x.spec?.nodeName)).spec?.nodeName).toBe('fast');
  });

  it('places the pod of higher priority first when there is room for one', async () => {
    const c = await cluster();
    await c.resource('scheduling.k8s.io/v1', 'priorityclasses').create(undefined, { metadata: { name: 'high' }, value: 1000 } as KObject);
    await c.resource('v1', 'pods').create('default', pod('low', {}, '600m'));
    await c.resource('v1', 'pods').create('default', pod('high', { priorityClassName: 'high' }, '600m'));
    for (const name of ['low', 'high']) await until(`${name} unschedulable`, () => getPod(c, name), (x) => x.status?.conditions?.some((k) => k.type === 'PodScheduled' && k.status === 'False') ?? false);
    await c.resource('v1', 'nodes').create(undefined, node('one', { cpu: '1' }));
    expect((await until('high bound', () => getPod(c, 'high'), (x) => !!x.spec?.nodeName)).spec?.nodeName).toBe('one');
    await new Promise((r) => setTimeout(r, 50));
    expect((await getPod(c, 'low')).spec?.nodeName).toBeUndefined();
  });

  it('counts requests, pod slots and host ports of pods already placed', async () => {
    const c = await cluster();
    await c.resource('v1', 'nodes').create(undefined, node('one', { cpu: '1', pods: '3' }));
    await c.resource('v1', 'pods').create('default', pod('a', {}, '600m'));
    await c.resource('v1', 'pods').create('default', pod('b', {}, '600m'));
    await until('a bound', () => getPod(c, 'a'), (x) => !!x.spec?.nodeName);
    const b = await until('b refused', () => getPod(c, 'b'), (x) => x.status?.conditions?.some((k) => k.reason === 'Unschedulable') ?? false);
    expect(b.status!.conditions!.find((k) => k.type === 'PodScheduled')!.message).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu\./);
    const port = { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, hostPort: 8080 }] }] };
    await c.resource('v1', 'pods').create('default', pod('h1', port));
    await c.resource('v1', 'pods').create('default', pod('h2', port));
    await until('h1 bound', () => getPod(c, 'h1'), (x) => !!x.spec?.nodeName);
    const h2 = await until('h2 refused', () => getPod(c, 'h2'), (x) => x.status?.conditions?.some((k) => k.reason === 'Unschedulable') ?? false);
    expect(h2.status!.conditions!.find((k) => k.type === 'PodScheduled')!.message).toMatch(/1 node\(s\) didn't have free ports for the requested pod ports/);
    // Deleting a pod frees its room.
    await c.resource('v1', 'pods').delete('default', 'a', { gracePeriodSeconds: 0 });
    expect((await until('b bound after a left', () => getPod(c, 'b'), (x) => !!x.spec?.nodeName)).spec?.nodeName).toBe('one');
  });

  it('leaves pods of other schedulers, and pods that name their node, alone', async () => {
    const c = await cluster();
    await c.resource('v1', 'nodes').create(undefined, node('n'));
    await c.resource('v1', 'pods').create('default', pod('mine', { schedulerName: 'other' }));
    await c.resource('v1', 'pods').create('default', pod('pinned', { nodeName: 'elsewhere' }));
    await c.resource('v1', 'pods').create('default', pod('normal'));
    await until('normal bound', () => getPod(c, 'normal'), (x) => !!x.spec?.nodeName);
    expect((await getPod(c, 'mine')).spec?.nodeName).toBeUndefined();
    expect((await getPod(c, 'pinned')).spec?.nodeName).toBe('elsewhere');
  });

  it('keeps replicas with required anti-affinity apart, quick decisions included, and says why the last waits', async () => {
    const c = await cluster();
    for (const n of ['a', 'b']) await c.resource('v1', 'nodes').create(undefined, node(n));
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    // Created together: the second decision must see the first pod while it is still being bound.
    await Promise.all([0, 1, 2].map((i) => c.resource('v1', 'pods').create('default', { ...pod(`db-${i}`, { affinity: anti }), metadata: { name: `db-${i}`, namespace: 'default', labels: { app: 'db' } } })));
    const bound = await until('two bound', () => c.resource<KObject & core.Pod>('v1', 'pods').list('default'), (l) => l.items.filter((p) => p.spec?.nodeName).length === 2);
    expect(new Set(bound.items.map((p) => p.spec?.nodeName).filter(Boolean))).toEqual(new Set(['a', 'b']));
    const waiting = bound.items.find((p) => !p.spec?.nodeName)!;
    const w = await until('third refused', () => getPod(c, waiting.metadata.name!), (x) => x.status?.conditions?.some((k) => k.reason === 'Unschedulable') ?? false);
    expect(w.status!.conditions!.find((k) => k.type === 'PodScheduled')!.message).toBe("0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
    await c.resource('v1', 'nodes').create(undefined, node('c'));
    expect((await until('third bound on the new node', () => getPod(c, waiting.metadata.name!), (x) => !!x.spec?.nodeName)).spec?.nodeName).toBe('c');
  });
});
