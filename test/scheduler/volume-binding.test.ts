import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { core, KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, defaultStorageClass, persistentVolumeController, storageDirAnnotation } from '../../pkg/controllers/index.ts';
import { scheduler } from '../../pkg/scheduler/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

// The real registry, scheduler, default StorageClass and PersistentVolume controller in process
// over the memory store: volumes take part in placing pods, and pods wait for their claims.
type Pod = KObject & core.Pod;
type Claim = KObject & core.PersistentVolumeClaim;
let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [scheduler, (c, _i, l) => defaultStorageClass(c, l), persistentVolumeController], silentLogger);
  await loops.start(new AbortController().signal);
  for (const name of ['n1', 'n2', 'n3']) {
    await client.resource('v1', 'nodes').create(undefined, {
      metadata: { name, labels: { 'kubernetes.io/hostname': name }, annotations: { [storageDirAnnotation]: `/data/${name}/storage` } },
      status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    } as KObject);
  }
  return client;
}

const podWith = (name: string, claim: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }] },
});
const claim = (name: string, spec: Partial<core.PersistentVolumeClaimSpec> = {}): Claim => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const getPod = (c: Client, name: string) => c.resource<Pod>('v1', 'pods').get('default', name);
const getClaim = (c: Client, name: string) => c.resource<Claim>('v1', 'persistentvolumeclaims').get('default', name);

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn()).slice(0, 800)}`);
}
const scheduledMessage = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message;

describe('volumeBinding', () => {
  it('provisions a WaitForFirstConsumer claim on the chosen node before binding the pod there', async () => {
    const c = await cluster();
    await until('class', () => c.resource('storage.k8s.io/v1', 'storageclasses').list(undefined), (l) => l.items.length === 1);
    await c.resource('v1', 'persistentvolumeclaims').create('default', claim('data'));
    await c.resource('v1', 'pods').create('default', podWith('p', 'data'));
    const pod = await until('bound', () => getPod(c, 'p'), (p) => !!p.spec?.nodeName);
    const bound = await getClaim(c, 'data');
    // The claim was bound before the pod: the pod's node is the one the claim was provisioned for.
    expect(bound.status?.phase).toBe('Bound');
    expect(bound.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(pod.spec!.nodeName);
    const pv = await c.resource<KObject & core.PersistentVolume>('v1', 'persistentvolumes').get(undefined, bound.spec!.volumeName!);
    expect(pv.spec?.hostPath?.path).toBe(`/data/${pod.spec!.nodeName}/storage/${pv.metadata.name}`);

    // A second pod of the same claim can only go where the volume is.
    for (let i = 0; i < 4; i++) await c.resource('v1', 'pods').create('default', podWith(`q${i}`, 'data'));
    for (let i = 0; i < 4; i++) expect((await until(`q${i}`, () => getPod(c, `q${i}`), (p) => !!p.spec?.nodeName)).spec?.nodeName).toBe(pod.spec!.nodeName);
  });

  it('keeps pods off nodes their bound volumes exclude, and explains claims it cannot use', async () => {
    const c = await cluster();
    await c.resource('v1', 'persistentvolumes').create(undefined, {
      metadata: { name: 'on-n3' },
      spec: {
        capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: '', hostPath: { path: '/srv/x' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n3'] }] }] } },
      },
    } as KObject);
    await c.resource('v1', 'persistentvolumeclaims').create('default', claim('static', { storageClassName: '' }));
    await until('static bound', () => getClaim(c, 'static'), (x) => x.status?.phase === 'Bound');
    await c.resource('v1', 'pods').create('default', podWith('s', 'static'));
    expect((await until('s bound', () => getPod(c, 's'), (p) => !!p.spec?.nodeName)).spec?.nodeName).toBe('n3');

    await c.resource('v1', 'nodes').patch(undefined, 'n3', 'merge', { spec: { unschedulable: true } });
    await c.resource('v1', 'pods').create('default', podWith('t', 'static'));
    expect(scheduledMessage(await until('t unschedulable', () => getPod(c, 't'), (p) => !!scheduledMessage(p)))).toBe(
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');

    await c.resource('v1', 'pods').create('default', podWith('u', 'missing'));
    expect(scheduledMessage(await until('u unschedulable', () => getPod(c, 'u'), (p) => !!scheduledMessage(p)))).toBe(
      '0/3 nodes are available: persistentvolumeclaim "missing" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    await c.resource('v1', 'persistentvolumeclaims').create('default', claim('classless', { storageClassName: 'nope' }));
    await c.resource('v1', 'pods').create('default', podWith('w', 'classless'));
    expect(scheduledMessage(await until('w unschedulable', () => getPod(c, 'w'), (p) => !!scheduledMessage(p)))).toBe(
      '0/3 nodes are available: storageclass.storage.k8s.io "nope" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    // The claim appearing lets the pod through.
    await c.resource('v1', 'persistentvolumeclaims').create('default', claim('missing'));
    await until('u bound', () => getPod(c, 'u'), (p) => !!p.spec?.nodeName);
  });
});
