import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { core, KObject, storage } from '../../pkg/api/types/index.ts';
import { controlLoops, defaultStorageClass, persistentVolumeController, storageDirAnnotation, storageProtectionController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

// The real registry (with its storage admission), the default class, the PersistentVolume
// controller and the protection controllers in process over the memory store. No scheduler: the test sets the
// selected-node annotation as the scheduler does.
type Claim = KObject & core.PersistentVolumeClaim;
type Volume = KObject & core.PersistentVolume;
let loops: Component | undefined;
const clock = Date.parse('2026-01-01T00:00:00Z');
afterEach(async () => loops?.stop?.());

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [(c, _i, l) => defaultStorageClass(c, l), (c, i, l) => persistentVolumeController(c, i, l, () => clock), storageProtectionController], silentLogger);
  await loops.start(new AbortController().signal);
  for (const name of ['n1', 'n2']) {
    await client.resource('v1', 'nodes').create(undefined, {
      metadata: { name, labels: { 'kubernetes.io/hostname': name }, annotations: { [storageDirAnnotation]: `/data/${name}/storage` } },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    } as KObject);
  }
  return client;
}

const claimsApi = (c: Client) => c.resource<Claim>('v1', 'persistentvolumeclaims');
const volumesApi = (c: Client) => c.resource<Volume>('v1', 'persistentvolumes');
const claim = (name: string, over: Partial<core.PersistentVolumeClaimSpec> = {}): Claim => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...over },
});
const volume = (name: string, size: string, over: Partial<core.PersistentVolumeSpec> = {}, labels?: Record<string, string>): Volume => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, labels },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/srv/${name}` }, storageClassName: '', ...over },
});

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn()).slice(0, 800)}`);
}
const events = async (c: Client) => (await c.resource<KObject & core.Event>('v1', 'events').list('default')).items.map((e) => `${e.reason}: ${e.message}`);

describe('persistentVolumeController', () => {
  it('provisions a local-path volume on the selected node, binds both ways, and deletes it when the claim goes', async () => {
    const c = await cluster();
    const cls = await until('default class', () => c.resource<KObject & storage.StorageClass>('storage.k8s.io/v1', 'storageclasses').list(undefined), (l) => l.items.length === 1);
    expect(cls.items[0]).toMatchObject({ metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' });

    const created = await claimsApi(c).create('default', claim('data'));
    expect(created.spec?.storageClassName).toBe('local-path'); // admission defaulted it
    await until('waiting event', () => events(c), (e) => e.includes('WaitForFirstConsumer: waiting for first consumer to be created before binding'));
    expect((await volumesApi(c).list(undefined)).items).toEqual([]);

    // A node that is gone is forgotten, so the scheduler can choose again.
    await claimsApi(c).patch('default', 'data', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'gone' } } });
    await until('gone forgotten', () => claimsApi(c).get('default', 'data'), (x) => !x.metadata.annotations?.['volume.kubernetes.io/selected-node']);
    expect(await events(c)).toContain('ProvisioningFailed: node "gone" not found');
    await claimsApi(c).patch('default', 'data', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'n2' } } });
    const bound = await until('bound', () => claimsApi(c).get('default', 'data'), (x) => x.status?.phase === 'Bound');
    const pvName = `pvc-${created.metadata.uid}`;
    expect(bound.spec?.volumeName).toBe(pvName);
    expect(bound.status).toEqual({ phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] });
    expect(bound.metadata.annotations?.['pv.kubernetes.io/bind-completed']).toBe('yes');
    const pv = await until('pv bound', () => volumesApi(c).get(undefined, pvName), (v) => v.status?.phase === 'Bound');
    expect(pv.spec).toMatchObject({
      capacity: { storage: '1Gi' }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'local-path',
      hostPath: { path: `/data/n2/storage/${pvName}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n2'] }] }] } },
      claimRef: { namespace: 'default', name: 'data', uid: created.metadata.uid },
    });
    expect(await events(c)).toContain(`ProvisioningSucceeded: Successfully provisioned volume ${pvName}`);

    // In use by a pod, the claim is only marked for deletion; the pod ending frees it.
    expect(created.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(pv.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    await c.resource('v1', 'pods').create('default', { metadata: { name: 'user' }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } } as KObject);
    await claimsApi(c).delete('default', 'data');
    await until('terminating claim seen', () => claimsApi(c).get('default', 'data'), (x) => !!x.metadata.deletionTimestamp);
    await new Promise((r) => setTimeout(r, 100)); // the controller has had its chance to (wrongly) free it
    expect((await claimsApi(c).get('default', 'data')).metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect((await volumesApi(c).get(undefined, pvName)).status?.phase).toBe('Bound');
    await c.resource('v1', 'pods').delete('default', 'user');
    await until('pv deleted', () => volumesApi(c).list(undefined), (l) => l.items.length === 0);
    await until('claim gone', () => claimsApi(c).list('default'), (l) => l.items.length === 0);
  });

  it('binds a claim to the smallest matching pre-created volume, honouring selector, size and access modes', async () => {
    const c = await cluster();
    await volumesApi(c).create(undefined, volume('big', '10Gi'));
    await volumesApi(c).create(undefined, volume('small', '2Gi'));
    await volumesApi(c).create(undefined, volume('tiny', '500Mi'));
    await volumesApi(c).create(undefined, volume('rwx', '1Gi', { accessModes: ['ReadWriteMany'] }, { tier: 'gold' }));
    await until('available', () => volumesApi(c).list(undefined), (l) => l.items.every((v) => v.status?.phase === 'Available'));

    await claimsApi(c).create('default', claim('a', { storageClassName: '' }));
    const a = await until('a bound', () => claimsApi(c).get('default', 'a'), (x) => x.status?.phase === 'Bound');
    expect(a.spec?.volumeName).toBe('small');
    expect(a.status?.capacity).toEqual({ storage: '2Gi' });

    await claimsApi(c).create('default', claim('gold', { storageClassName: '', accessModes: ['ReadWriteMany'], selector: { matchLabels: { tier: 'gold' } } }));
    expect((await until('gold bound', () => claimsApi(c).get('default', 'gold'), (x) => x.status?.phase === 'Bound')).spec?.volumeName).toBe('rwx');

    await claimsApi(c).create('default', claim('huge', { storageClassName: '', resources: { requests: { storage: '50Gi' } } }));
    await until('no volume event', () => events(c), (e) => e.includes('FailedBinding: no persistent volumes available for this claim and no storage class is set'));
    expect((await claimsApi(c).get('default', 'huge')).status?.phase).toBe('Pending');

    // Retain keeps a released volume and its claimRef; nothing else may bind it.
    await claimsApi(c).delete('default', 'a');
    const released = await until('released', () => volumesApi(c).get(undefined, 'small'), (v) => v.status?.phase === 'Released');
    expect(released.spec?.claimRef?.name).toBe('a');
    expect(released.status?.lastPhaseTransitionTime).toBe('2026-01-01T00:00:00Z');
    await claimsApi(c).create('default', claim('b', { storageClassName: '' }));
    expect((await until('b bound', () => claimsApi(c).get('default', 'b'), (x) => x.status?.phase === 'Bound')).spec?.volumeName).toBe('big');
  });

  it('binds Immediate local-path claims at once on a Ready node, and refuses ReadWriteMany', async () => {
    const c = await cluster();
    await c.resource('storage.k8s.io/v1', 'storageclasses').create(undefined, { metadata: { name: 'now' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'Immediate', reclaimPolicy: 'Retain' } as KObject);
    await claimsApi(c).create('default', claim('x', { storageClassName: 'now' }));
    const x = await until('x bound', () => claimsApi(c).get('default', 'x'), (v) => v.status?.phase === 'Bound');
    const pv = await volumesApi(c).get(undefined, x.spec!.volumeName!);
    expect(pv.spec?.hostPath?.path).toBe(`/data/n1/storage/${pv.metadata.name}`);
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Retain');

    await claimsApi(c).create('default', claim('shared', { storageClassName: 'now', accessModes: ['ReadWriteMany'] }));
    await until('refused', () => events(c), (e) => e.some((m) => m.startsWith('ProvisioningFailed: failed to provision volume with StorageClass "now": Only support ReadWriteOnce')));

    await claimsApi(c).delete('default', 'x');
    await until('released, kept', () => volumesApi(c).get(undefined, pv.metadata.name!), (v) => v.status?.phase === 'Released');
  });

  it('leaves claims alone while there is no default class, then gives one to those that name none', async () => {
    const c = await cluster();
    await until('default class', () => c.resource('storage.k8s.io/v1', 'storageclasses').list(undefined), (l) => l.items.length === 1);
    await c.resource('storage.k8s.io/v1', 'storageclasses').delete(undefined, 'local-path');
    expect((await claimsApi(c).create('default', claim('none'))).spec?.storageClassName).toBeUndefined();
    expect((await claimsApi(c).create('default', claim('empty', { storageClassName: '' }))).spec?.storageClassName).toBe('');
    // A default class appearing later is given to the claim without one (retroactively), not to "".
    await c.resource('storage.k8s.io/v1', 'storageclasses').create(undefined, { metadata: { name: 'later', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' } as KObject);
    expect((await until('retroactive', () => claimsApi(c).get('default', 'none'), (x) => !!x.spec?.storageClassName)).spec?.storageClassName).toBe('later');
    expect((await claimsApi(c).get('default', 'empty')).spec?.storageClassName).toBe('');
    // Once set, the class is frozen like the rest of the spec.
    await expect(claimsApi(c).patch('default', 'none', 'merge', { spec: { storageClassName: 'other' } })).rejects.toThrow(/spec is immutable/);
  });
});
