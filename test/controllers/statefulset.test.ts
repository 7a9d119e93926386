import { afterEach, describe, expect, it } from 'vitest';
import { createInformer, inProcessClient, type Client, type Informer } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { apps, core, KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, garbageCollector, statefulSetController, storageProtectionController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

// The real registry, StatefulSet controller, garbage collector and claim protection in process over the memory
// store, with a fake clock. No scheduler: pods stay unbound, so deleting one removes it at once.
// The test plays the kubelet: a pod becomes Running and Ready only when the test says so (or
// at once while `autoReady` is on).
type Pod = KObject & core.Pod;
type Set = KObject & apps.StatefulSet;
type Claim = KObject & core.PersistentVolumeClaim;
let loops: Component | undefined;
let watcher: Informer<Pod> | undefined;
let autoReady = false;
let clock = Date.parse('2026-01-01T00:00:00Z');
/** Pod lifecycle as the controller drove it: "+web-0", "-web-2", … in the order observed. */
let history: string[] = [];
afterEach(async () => {
  await loops?.stop?.();
  await watcher?.stop();
});

async function cluster(): Promise<Client> {
  autoReady = false;
  history = [];
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources, clock: () => new Date(clock) }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [(c, inf, l) => statefulSetController(c, inf, l, () => clock), garbageCollector, storageProtectionController], silentLogger);
  await loops.start(new AbortController().signal);
  watcher = createInformer(client.resource<Pod>('v1', 'pods'));
  watcher.onAdd((p) => {
    history.push(`+${p.metadata.name}`);
    if (autoReady) void ready(client, p.metadata.name!);
  });
  watcher.onDelete((p) => history.push(`-${p.metadata.name}`));
  watcher.start();
  return client;
}

const ready = (c: Client, name: string, ok = true) => c.resource('v1', 'pods').patch('default', name, 'merge',
  { status: { phase: 'Running', conditions: [{ type: 'Ready', status: ok ? 'True' : 'False', lastTransitionTime: new Date(clock).toISOString() }] } }, { subresource: 'status' });

function statefulSet(over: Record<string, unknown> = {}, image = 'app:1'): Set {
  const mounts = over.volumeClaimTemplates ? undefined : [{ name: 'www', mountPath: '/data' }];
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3, serviceName: 'nginx', selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image, volumeMounts: mounts }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...over,
    },
  };
}

const sets = (c: Client) => c.resource<Set>('apps/v1', 'statefulsets');
const pods = async (c: Client) => (await c.resource<Pod>('v1', 'pods').list('default')).items.filter((p) => !p.metadata.deletionTimestamp)
  .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
const names = async (c: Client) => (await pods(c)).map((p) => p.metadata.name);
const claims = async (c: Client) => (await c.resource<Claim>('v1', 'persistentvolumeclaims').list('default')).items;
const revisionOf = (p: Pod) => p.metadata.labels?.['controller-revision-hash'];

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn()).slice(0, 800)}`);
}

describe('statefulSetController', () => {
  it('creates pods in order, each after the previous is Ready, with its identity and claim made first', async () => {
    const c = await cluster();
    const set = await sets(c).create('default', statefulSet());
    await until('web-0', () => names(c), (n) => n.length === 1);
    // The set waits for web-0 to be Ready before web-1, however often it looks.
    await until('status sees web-0', () => sets(c).get('default', 'web'), (s) => s.status?.replicas === 1);
    expect(await names(c)).toEqual(['web-0']);
    await ready(c, 'web-0');
    await until('web-1', () => names(c), (n) => n.length === 2);
    await ready(c, 'web-1');
    await until('web-2', () => names(c), (n) => n.length === 3);
    expect(history).toEqual(['+web-0', '+web-1', '+web-2']);

    const [web0] = await pods(c);
    expect(web0!.metadata.labels).toMatchObject({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' });
    expect(revisionOf(web0!)).toMatch(/^web-[a-z0-9]+$/);
    expect(web0!.spec).toMatchObject({ hostname: 'web-0', subdomain: 'nginx' });
    expect(web0!.spec?.volumes?.[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    expect(web0!.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const pvcs = await claims(c);
    expect(pvcs.map((p) => p.metadata.name).sort()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    expect(pvcs[0]!.metadata.labels).toEqual({ app: 'web' });
    expect(pvcs[0]!.metadata.ownerReferences).toBeUndefined(); // Retain: nobody owns the claims

    await ready(c, 'web-2');
    const st = await until('all ready', () => sets(c).get('default', 'web'), (s) => s.status?.readyReplicas === 3);
    expect(st.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: 1 });
    expect(st.status?.currentRevision).toBe(st.status?.updateRevision);
    const events = (await c.resource<KObject & core.Event>('v1', 'events').list('default')).items.map((e) => `${e.reason}: ${e.message}`);
    expect(events).toContain('SuccessfulCreate: create Pod web-1 in StatefulSet web successful');
    expect(events).toContain('SuccessfulCreate: create Claim www-web-1 Pod web-1 in StatefulSet web success');
  });

  it('puts back identity labels and the missing claim of a pod that has not started', async () => {
    const c = await cluster();
    await sets(c).create('default', statefulSet({ replicas: 1 }));
    await until('web-0', () => names(c), (n) => n.length === 1);
    // The claim goes before its pod starts (its protection finalizer taken off by hand).
    await c.resource('v1', 'persistentvolumeclaims').patch('default', 'www-web-0', 'merge', { metadata: { finalizers: null } });
    await c.resource('v1', 'persistentvolumeclaims').delete('default', 'www-web-0');
    await c.resource('v1', 'pods').patch('default', 'web-0', 'merge', { metadata: { labels: { 'statefulset.kubernetes.io/pod-name': null, 'apps.kubernetes.io/pod-index': 'x' } } });
    const fixed = await until('labels back', async () => (await pods(c))[0]!, (p) => p.metadata.labels?.['apps.kubernetes.io/pod-index'] === '0' && !!p.metadata.labels['statefulset.kubernetes.io/pod-name']);
    expect(fixed.metadata.labels?.['statefulset.kubernetes.io/pod-name']).toBe('web-0');
    await until('claim again', () => claims(c), (l) => l.some((x) => x.metadata.name === 'www-web-0' && !x.metadata.deletionTimestamp));
  });

  it('creates every pod at once under Parallel', async () => {
    const c = await cluster();
    await sets(c).create('default', statefulSet({ podManagementPolicy: 'Parallel', volumeClaimTemplates: [] }));
    expect(await until('3 pods', () => names(c), (n) => n.length === 3)).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('scales down from the highest ordinal, keeping claims under Retain, and replaces a deleted pod with the same claim', async () => {
    const c = await cluster();
    autoReady = true;
    await sets(c).create('default', statefulSet());
    await until('3 ready', () => sets(c).get('default', 'web'), (s) => s.status?.readyReplicas === 3);
    await c.resource('v1', 'pods').delete('default', 'web-1');
    const back = await until('web-1 again', () => pods(c), (p) => p.length === 3 && p[1]!.status?.phase === 'Running');
    expect(back[1]!.spec?.volumes?.[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });

    history = [];
    await sets(c).patch('default', 'web', 'merge', { spec: { replicas: 1 } });
    await until('1 pod', () => names(c), (n) => n.length === 1);
    expect(history).toEqual(['-web-2', '-web-1']);
    expect((await claims(c)).map((p) => p.metadata.name).sort()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
  });

  it('deletes claims with their pods under whenScaled=Delete, and with the set under whenDeleted=Delete', async () => {
    const c = await cluster();
    autoReady = true;
    await sets(c).create('default', statefulSet({ persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Delete' } }));
    const set = await until('3 ready', () => sets(c).get('default', 'web'), (s) => s.status?.readyReplicas === 3);
    expect((await claims(c))[0]!.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid }]);
    await sets(c).patch('default', 'web', 'merge', { spec: { replicas: 2 } });
    await until('www-web-2 gone', () => claims(c), (l) => l.length === 2);
    expect((await claims(c)).map((p) => p.metadata.name).sort()).toEqual(['www-web-0', 'www-web-1']);

    await sets(c).delete('default', 'web', { propagationPolicy: 'Background' });
    await until('claims gone', () => claims(c), (l) => l.length === 0);
  });

  it('rolls a new template from the highest ordinal down to the partition, one Ready pod at a time', async () => {
    const c = await cluster();
    autoReady = true;
    await sets(c).create('default', statefulSet({ volumeClaimTemplates: [] }));
    const v1 = await until('3 ready', () => sets(c).get('default', 'web'), (s) => s.status?.readyReplicas === 3);
    const rev1 = v1.status!.currentRevision!;

    autoReady = false;
    history = [];
    await sets(c).patch('default', 'web', 'merge', { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }, template: { spec: { containers: [{ name: 'c', image: 'app:2' }] } } } });
    // web-2 is replaced and not Ready: the pass that counted it updated stopped before web-1.
    const mid = await until('web-2 updated', () => sets(c).get('default', 'web'), (s) => s.status?.updatedReplicas === 1 && s.status.replicas === 3);
    const rev2 = mid.status!.updateRevision!;
    expect(rev2).not.toBe(rev1);
    expect(mid.status).toMatchObject({ currentRevision: rev1, currentReplicas: 2 });
    expect((await pods(c)).map(revisionOf)).toEqual([rev1, rev1, rev2]);
    await ready(c, 'web-2');
    await until('web-1 updated', () => pods(c), (p) => p.length === 3 && revisionOf(p[1]!) === rev2);
    await ready(c, 'web-1');
    const part = await until('partition reached', () => sets(c).get('default', 'web'), (s) => s.status?.readyReplicas === 3 && s.status.updatedReplicas === 2);
    expect(history).toEqual(['-web-2', '+web-2', '-web-1', '+web-1']);
    expect(part.status).toMatchObject({ currentRevision: rev1, updateRevision: rev2, currentReplicas: 1 });
    expect((await pods(c)).map((p) => p.spec?.containers[0]?.image)).toEqual(['app:1', 'app:2', 'app:2']);

    // A replaced web-0 below the partition comes back at the current revision.
    await c.resource('v1', 'pods').delete('default', 'web-0');
    const again = await until('web-0 back', () => pods(c), (p) => p.length === 3 && p[0]!.metadata.uid !== undefined && history.includes('+web-0'));
    expect(revisionOf(again[0]!)).toBe(rev1);
    expect(again[0]!.spec?.containers[0]?.image).toBe('app:1');

    autoReady = true;
    await ready(c, 'web-0');
    await sets(c).patch('default', 'web', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    const done = await until('rolled out', () => sets(c).get('default', 'web'), (s) => s.status?.currentRevision === rev2 && s.status.readyReplicas === 3);
    expect(done.status).toMatchObject({ currentReplicas: 3, updatedReplicas: 3, updateRevision: rev2, observedGeneration: 3 });
    const revisions = (await c.resource<KObject & apps.ControllerRevision>('apps/v1', 'controllerrevisions').list('default')).items;
    expect(revisions.map((r) => [r.metadata.name, r.revision]).sort()).toEqual([[rev1, 1], [rev2, 2]].sort());
    expect(revisions.find((r) => r.metadata.name === rev2)!.data).toMatchObject({ spec: { template: { $patch: 'replace', spec: { containers: [{ image: 'app:2' }] } } } });
  });

  it('under OnDelete changes a pod only when it is deleted by hand', async () => {
    const c = await cluster();
    autoReady = true;
    await sets(c).create('default', statefulSet({ volumeClaimTemplates: [], updateStrategy: { type: 'OnDelete' } }));
    await until('3 ready', () => sets(c).get('default', 'web'), (s) => s.status?.readyReplicas === 3);
    await sets(c).patch('default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'app:2' }] } } } });
    const seen = await until('new revision seen', () => sets(c).get('default', 'web'), (s) => s.status?.observedGeneration === 2);
    expect(seen.status?.updatedReplicas).toBe(0);
    expect((await pods(c)).map((p) => p.spec?.containers[0]?.image)).toEqual(['app:1', 'app:1', 'app:1']);
    await c.resource('v1', 'pods').delete('default', 'web-1');
    await until('web-1 on app:2', () => pods(c), (p) => p.length === 3 && p[1]!.spec?.containers[0]?.image === 'app:2');
    expect((await pods(c)).map((p) => p.spec?.containers[0]?.image)).toEqual(['app:1', 'app:2', 'app:1']);
  });

  it('counts a Ready pod available only after minReadySeconds on its clock', async () => {
    const c = await cluster();
    autoReady = true;
    await sets(c).create('default', statefulSet({ replicas: 1, minReadySeconds: 30, volumeClaimTemplates: [] }));
    const st = await until('ready', () => sets(c).get('default', 'web'), (s) => s.status?.readyReplicas === 1);
    expect(st.status?.availableReplicas).toBe(0);
    clock += 30_000;
    await sets(c).patch('default', 'web', 'merge', { metadata: { annotations: { poke: '1' } } });
    await until('available', () => sets(c).get('default', 'web'), (s) => s.status?.availableReplicas === 1);
  });

  it('adopts the orphaned pods and revisions of a set deleted with --cascade=orphan', async () => {
    const c = await cluster();
    autoReady = true;
    await sets(c).create('default', statefulSet({ replicas: 2, volumeClaimTemplates: [] }));
    const before = await until('2 ready', () => sets(c).get('default', 'web'), (x) => x.status?.readyReplicas === 2);
    const uids = (await pods(c)).map((p) => p.metadata.uid);
    await sets(c).delete('default', 'web', { propagationPolicy: 'Orphan' });
    await until('orphaned', () => pods(c), (l) => l.length === 2 && l.every((p) => !p.metadata.ownerReferences?.length));
    history = [];
    const again = await sets(c).create('default', statefulSet({ replicas: 2, volumeClaimTemplates: [] }));
    const after = await until('adopted', () => sets(c).get('default', 'web'), (x) => x.status?.readyReplicas === 2);
    expect((await pods(c)).map((p) => [p.metadata.uid, p.metadata.ownerReferences?.[0]?.uid])).toEqual(uids.map((u) => [u, again.metadata.uid]));
    expect(after.status?.currentRevision).toBe(before.status?.currentRevision);
    expect(history).toEqual([]);
  });

  it('numbers pods from spec.ordinals.start and keeps revisionHistoryLimit old revisions', async () => {
    const c = await cluster();
    autoReady = true;
    await sets(c).create('default', statefulSet({ replicas: 2, ordinals: { start: 5 }, revisionHistoryLimit: 1, volumeClaimTemplates: [] }));
    await until('2 ready', () => sets(c).get('default', 'web'), (x) => x.status?.readyReplicas === 2);
    expect(await names(c)).toEqual(['web-5', 'web-6']);
    expect((await pods(c)).map((p) => p.metadata.labels?.['apps.kubernetes.io/pod-index'])).toEqual(['5', '6']);
    for (const image of ['app:2', 'app:3', 'app:4']) {
      await sets(c).patch('default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
      await until(image, () => sets(c).get('default', 'web'), (x) => x.status?.observedGeneration === x.metadata.generation && x.status?.currentRevision === x.status?.updateRevision && x.status?.readyReplicas === 2);
    }
    // The pass that made revision 4 current prunes revision 2 right after writing that status.
    const revisions = await until('pruned', async () => (await c.resource<KObject & apps.ControllerRevision>('apps/v1', 'controllerrevisions').list('default')).items, (l) => l.length === 2);
    expect(revisions.map((r) => r.revision).sort()).toEqual([3, 4]);
  });
});
