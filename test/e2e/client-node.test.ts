import {
  AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch, makeInformer, setHeaderOptions,
  type KubernetesObject, type V1ConfigMap,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { apiError, configMap, deployment, retryOnConflict, seen, until, type Seen } from './client-node-helpers.ts';

// The official JavaScript client against the built binary: every expectation is what a real
// kube-apiserver 1.32 answers (Status bodies byte for byte where clients read them).
let s: TestServer;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
const ns = 'cn';

beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
  kc = new KubeConfig();
  kc.loadFromFile(s.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
});
afterAll(() => s?.stop());

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

describe.skipIf(!apiServed)(`@kubernetes/client-node against skiff server${untilServed}`, () => {
  it('creates, reads and deletes namespaces; 404 and 409 carry the Status', async () => {
    const created = await core.createNamespace({ body: { metadata: { name: 'cn-a', labels: { team: 'x' } } } });
    expect(created.metadata).toMatchObject({ name: 'cn-a', labels: { team: 'x', 'kubernetes.io/metadata.name': 'cn-a' } });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(created.status).toEqual({ phase: 'Active' });
    expect(await core.readNamespace({ name: 'cn-a' })).toEqual(created);

    expect(await apiError(core.createNamespace({ body: { metadata: { name: 'cn-a' } } }))).toEqual({
      code: 409,
      status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'namespaces "cn-a" already exists', reason: 'AlreadyExists', details: { name: 'cn-a', kind: 'namespaces' }, code: 409 },
    });
    expect(await apiError(core.readNamespace({ name: 'nope' }))).toEqual({
      code: 404,
      status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'namespaces "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'namespaces' }, code: 404 },
    });
    expect((await apiError(core.createNamespacedConfigMap({ namespace: 'ghost', body: configMap('c', 'ghost') }))).status).toMatchObject({ code: 404, message: 'namespaces "ghost" not found' });

    await core.deleteNamespace({ name: 'cn-a' });
    // The namespace controller empties it (its default service account) and finalizes it.
    await until('namespace cn-a gone', () => core.readNamespace({ name: 'cn-a' }).then(() => false, (e: { code?: number }) => e.code === 404));
    expect((await apiError(core.deleteNamespace({ name: 'default' }))).status).toMatchObject({ code: 403, reason: 'Forbidden', message: 'namespaces "default" is forbidden: this namespace may not be deleted' });
  });

  it('does configmap CRUD with optimistic concurrency', async () => {
    const c = await core.createNamespacedConfigMap({ namespace: ns, body: configMap('c1', ns, { app: 'a' }, { k: 'v' }) });
    expect(c).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: ns, labels: { app: 'a' } }, data: { k: 'v' } });
    const read = await core.readNamespacedConfigMap({ name: 'c1', namespace: ns });
    expect(read).toEqual(c);

    const next = await core.replaceNamespacedConfigMap({ name: 'c1', namespace: ns, body: { ...read, data: { k: 'v2' } } });
    expect(Number(next.metadata!.resourceVersion)).toBeGreaterThan(Number(read.metadata!.resourceVersion));
    expect(next.metadata!.uid).toBe(read.metadata!.uid);
    expect(await apiError(core.replaceNamespacedConfigMap({ name: 'c1', namespace: ns, body: { ...read, data: { k: 'stale' } } }))).toEqual({
      code: 409,
      status: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409, details: { name: 'c1', kind: 'configmaps' },
        message: 'Operation cannot be fulfilled on configmaps "c1": the object has been modified; please apply your changes to the latest version and try again',
      },
    });
    expect(await apiError(core.readNamespacedConfigMap({ name: 'nope', namespace: ns }))).toEqual({
      code: 404,
      status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'configmaps' }, code: 404 },
    });

    // Upstream answers a configmap DELETE with a Success Status naming the object, not the object.
    const del = await core.deleteNamespacedConfigMap({ name: 'c1', namespace: ns });
    expect(del).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'c1', kind: 'configmaps', uid: read.metadata!.uid } });
    expect((await apiError(core.deleteNamespacedConfigMap({ name: 'c1', namespace: ns }))).code).toBe(404);
  });

  it('lists with label and field selectors, limit and continue', async () => {
    const lns = 'cn-list';
    await core.createNamespace({ body: { metadata: { name: lns } } });
    for (const [i, tier] of ['fe', 'fe', 'be', 'fe', 'be'].entries()) {
      await core.createNamespacedConfigMap({ namespace: lns, body: configMap(`l${i}`, lns, { list: 'yes', tier }) });
    }
    const names = (l: { items: KubernetesObject[] }) => l.items.map((i) => i.metadata!.name);
    expect(names(await core.listNamespacedConfigMap({ namespace: lns, labelSelector: 'list=yes,tier=be' }))).toEqual(['l2', 'l4']);
    expect(names(await core.listNamespacedConfigMap({ namespace: lns, labelSelector: 'tier in (fe),list' }))).toEqual(['l0', 'l1', 'l3']);
    expect(names(await core.listNamespacedConfigMap({ namespace: lns, labelSelector: 'list=yes,tier!=fe' }))).toEqual(['l2', 'l4']);
    expect(names(await core.listNamespacedConfigMap({ namespace: lns, labelSelector: '!tier' }))).not.toContain('l0');
    expect(names(await core.listNamespacedConfigMap({ namespace: lns, fieldSelector: 'metadata.name=l3' }))).toEqual(['l3']);
    expect(names(await core.listConfigMapForAllNamespaces({ fieldSelector: `metadata.namespace=${lns},metadata.name!=l0`, labelSelector: 'list' }))).toEqual(['l1', 'l2', 'l3', 'l4']);
    expect((await apiError(core.listNamespacedConfigMap({ namespace: lns, fieldSelector: 'data.k=v' }))).status).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect((await apiError(core.listNamespacedConfigMap({ namespace: lns, labelSelector: 'a in (b' }))).status).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(names(await core.listNamespacedConfigMap({ namespace: 'no-such-ns' }))).toEqual([]);

    const first = await core.listNamespacedConfigMap({ namespace: lns, labelSelector: 'list=yes', limit: 2 });
    expect(names(first)).toEqual(['l0', 'l1']);
    expect(first.metadata?._continue).toBeTruthy();
    // remainingItemCount is only counted for lists without selectors, as etcd3's store does.
    expect(first.metadata?.remainingItemCount).toBeUndefined();
    const second = await core.listNamespacedConfigMap({ namespace: lns, labelSelector: 'list=yes', limit: 2, _continue: first.metadata!._continue });
    expect(names(second)).toEqual(['l2', 'l3']);
    // Pages are of one snapshot: an object created now is not in the rest of this listing.
    await core.createNamespacedConfigMap({ namespace: lns, body: configMap('l9', lns, { list: 'yes' }) });
    const third = await core.listNamespacedConfigMap({ namespace: lns, labelSelector: 'list=yes', limit: 2, _continue: second.metadata!._continue });
    expect(names(third)).toEqual(['l4']);
    expect(third.metadata?._continue).toBeUndefined();
    expect(third.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);

    const total = (await core.listNamespacedConfigMap({ namespace: lns })).items.length;
    const page = await core.listNamespacedConfigMap({ namespace: lns, limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.metadata?.remainingItemCount).toBe(total - 2);
    expect((await apiError(core.listNamespacedConfigMap({ namespace: lns, limit: 1, _continue: 'not-a-token' }))).status).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('serves the generic KubernetesObjectApi through discovery', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const created: KubernetesObject = await objects.create(deployment('generic', ns, 1));
    expect(created).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'generic', generation: 1 } });
    const read = await objects.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'generic', namespace: ns } });
    expect(read.metadata!.uid).toBe(created.metadata!.uid);
    const patched = await objects.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'generic', namespace: ns }, spec: { replicas: 3 } }, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
    expect((patched as { spec?: { replicas?: number } }).spec?.replicas).toBe(3);
    const listed = await objects.list('v1', 'Namespace', undefined, undefined, undefined, undefined, 'metadata.name=cn');
    expect(listed.items.map((i) => i.metadata?.name)).toEqual(['cn']);
    const status = await objects.delete({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'generic', namespace: ns } });
    expect(status).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'generic', group: 'apps', kind: 'deployments' } });
  });

  it('keeps an object with finalizers until they are removed', async () => {
    const body = deployment('fin', ns, 1);
    const d = await apps.createNamespacedDeployment({ namespace: ns, body: { ...body, metadata: { ...body.metadata, finalizers: ['example.com/hold'] } } });
    // A held object is marked and answered with (200), as upstream; client-node types the answer
    // as V1Status and keeps only the fields the two share.
    const marked = await apps.deleteNamespacedDeployment({ name: 'fin', namespace: ns });
    expect(marked).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    const still = await apps.readNamespacedDeployment({ name: 'fin', namespace: ns });
    expect(still.metadata!.deletionTimestamp).toBeInstanceOf(Date);
    expect(still.metadata!.finalizers).toEqual(['example.com/hold']);
    expect(still.metadata!.uid).toBe(d.metadata!.uid);
    const added = await apiError(apps.patchNamespacedDeployment({ name: 'fin', namespace: ns, body: { metadata: { finalizers: ['example.com/hold', 'example.com/x'] } } }, merge));
    expect(added.status).toMatchObject({ code: 422, reason: 'Invalid' });
    await apps.patchNamespacedDeployment({ name: 'fin', namespace: ns, body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    await until('deployment fin gone', async () => (await apiError(apps.readNamespacedDeployment({ name: 'fin', namespace: ns }))).code === 404);
  });

  it('creates and deletes pods with defaults and generateName', async () => {
    const p = await core.createNamespacedPod({ namespace: ns, body: { metadata: { generateName: 'p-' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
    expect(p.metadata!.name).toMatch(/^p-[a-z0-9]{5}$/);
    expect(p.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 });
    expect(p.spec!.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    const byPhase = await core.listNamespacedPod({ namespace: ns, fieldSelector: `status.phase=Pending,spec.nodeName=,metadata.name=${p.metadata!.name}` });
    expect(byPhase.items.map((i) => i.metadata!.name)).toEqual([p.metadata!.name]);
    // An unscheduled pod goes at once, and the pod REST returns the deleted pod (ReturnDeletedObject).
    const gone = await core.deleteNamespacedPod({ name: p.metadata!.name!, namespace: ns });
    expect(gone).toMatchObject({ kind: 'Pod', metadata: { name: p.metadata!.name, uid: p.metadata!.uid } });
    expect((await apiError(core.readNamespacedPod({ name: p.metadata!.name!, namespace: ns }))).code).toBe(404);
  });

  it('patches with JSON patch, merge patch and strategic merge patch', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('pt', ns, {}, { a: '1', b: '2' }) });
    // No content type given: client-node sends its first choice, application/json-patch+json.
    const jp = await core.patchNamespacedConfigMap({ name: 'pt', namespace: ns, body: [{ op: 'replace', path: '/data/a', value: 'one' }, { op: 'add', path: '/metadata/labels', value: { p: 'json' } }] });
    expect(jp.data).toEqual({ a: 'one', b: '2' });
    expect(jp.metadata!.labels).toEqual({ p: 'json' });
    const mp = await core.patchNamespacedConfigMap({ name: 'pt', namespace: ns, body: { data: { b: null, c: '3' }, metadata: { labels: { p: null, q: 'merge' } } } }, merge);
    expect(mp.data).toEqual({ a: 'one', c: '3' });
    expect(mp.metadata!.labels).toEqual({ q: 'merge' });
    const failed = await apiError(core.patchNamespacedConfigMap({ name: 'pt', namespace: ns, body: [{ op: 'test', path: '/data/a', value: 'nope' }] }));
    expect(failed.status).toMatchObject({ kind: 'Status', code: 422 });
    expect((await apiError(core.patchNamespacedConfigMap({ name: 'missing', namespace: ns, body: { data: {} } }, merge))).code).toBe(404);
    const stale = await apiError(core.patchNamespacedConfigMap({ name: 'pt', namespace: ns, body: { metadata: { resourceVersion: '1' }, data: { a: 'x' } } }, merge));
    expect(stale.status).toMatchObject({ code: 409, reason: 'Conflict' });

    await apps.createNamespacedDeployment({ namespace: ns, body: deployment('smp', ns) });
    const smp = await apps.patchNamespacedDeployment({ name: 'smp', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } } }, strategic);
    expect(smp.spec!.template.spec!.containers.map((c) => [c.name, c.image])).toEqual([['web', 'nginx:1.28'], ['side', 'busybox:1.36']]);
    expect(smp.spec!.template.spec!.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(smp.metadata!.generation).toBe(2);
    // A merge patch replaces lists wholesale.
    const mpd = await apps.patchNamespacedDeployment({ name: 'smp', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'only', image: 'nginx:1.28' }] } } } } }, merge);
    expect(mpd.spec!.template.spec!.containers.map((c) => c.name)).toEqual(['only']);
    expect(mpd.metadata!.generation).toBe(3);
  });

  it('reads and writes deployments, their status and their scale', async () => {
    const d = await apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', ns) });
    expect(d.metadata!.generation).toBe(1);
    expect(d.spec).toMatchObject({ replicas: 2, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    expect(await apiError(apps.readNamespacedDeployment({ name: 'nope', namespace: ns }))).toEqual({
      code: 404,
      status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "nope" not found', reason: 'NotFound', details: { name: 'nope', group: 'apps', kind: 'deployments' }, code: 404 },
    });
    expect((await apiError(apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', ns) }))).status).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'deployments.apps "web" already exists', details: { name: 'web', group: 'apps', kind: 'deployments' } });

    // The status subresource writes .status only; the spec change in the same body is dropped.
    // (The deployment controller writes status too, hence the retries, as any client needs.)
    const mine = { observedGeneration: 1, replicas: 2, readyReplicas: 1, updatedReplicas: 2 };
    const withStatus = await retryOnConflict(async () => {
      const cur = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      return apps.replaceNamespacedDeploymentStatus({ name: 'web', namespace: ns, body: { ...cur, spec: { ...cur.spec!, replicas: 9 }, status: mine } });
    });
    expect(withStatus.status).toEqual(mine);
    expect(withStatus.spec!.replicas).toBe(2);
    expect(withStatus.metadata!.generation).toBe(1);
    const patched = await apps.patchNamespacedDeploymentStatus({ name: 'web', namespace: ns, body: { status: { availableReplicas: 1 } } }, merge);
    expect(patched.status).toMatchObject({ availableReplicas: 1 });
    // …and a main-resource write keeps the stored status.
    await retryOnConflict(async () => {
      const cur = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      const mainWrite = await apps.replaceNamespacedDeployment({ name: 'web', namespace: ns, body: { ...cur, status: { replicas: 99 } } });
      expect(mainWrite.status).toEqual(cur.status);
    });

    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: ns });
    expect(scale).toMatchObject({
      apiVersion: 'autoscaling/v1', kind: 'Scale',
      metadata: { name: 'web', namespace: ns, uid: d.metadata!.uid, resourceVersion: expect.any(String), creationTimestamp: d.metadata!.creationTimestamp },
      spec: { replicas: 2 },
      status: { replicas: expect.any(Number), selector: 'app=web' },
    });
    const scaled = await retryOnConflict(async () => {
      const cur = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: ns });
      return apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { ...cur, spec: { replicas: 4 } } });
    });
    expect(scaled.spec).toEqual({ replicas: 4 });
    const after = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(after.spec!.replicas).toBe(4);
    expect(after.metadata!.generation).toBe(2);
    const stale = await apiError(apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { ...scale, spec: { replicas: 5 } } }));
    expect(stale.status).toMatchObject({ code: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again' });
    const negative = await apiError(apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { ...scaled, metadata: { ...scaled.metadata, resourceVersion: undefined }, spec: { replicas: -1 } } }));
    expect(negative.status).toMatchObject({ code: 422, reason: 'Invalid' });

    const del = await apps.deleteNamespacedDeployment({ name: 'web', namespace: ns });
    expect(del).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'web', group: 'apps', kind: 'deployments', uid: d.metadata!.uid } });
  });

  it('watches ADDED, MODIFIED and DELETED in order, then stops on abort', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'w=1' });
    const events: Seen[] = [];
    let done: unknown = 'not yet';
    const watch = new Watch(kc);
    const ctl = await watch.watch(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: list.metadata!.resourceVersion, labelSelector: 'w=1' },
      (type, obj: V1ConfigMap) => events.push(seen(type, obj)), (err) => (done = err));

    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('w1', ns, { w: '1' }, { n: '1' }) });
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('other', ns, { w: '2' }) });
    await core.patchNamespacedConfigMap({ name: 'w1', namespace: ns, body: { data: { n: '2' } } }, merge);
    await core.deleteNamespacedConfigMap({ name: 'w1', namespace: ns });
    await until('three events', () => events.length >= 3);
    expect(events.map((e) => [e.type, e.name, e.data])).toEqual([['ADDED', 'w1', { n: '1' }], ['MODIFIED', 'w1', { n: '2' }], ['DELETED', 'w1', { n: '2' }]]);
    const rvs = events.map((e) => Number(e.rv));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(new Set(rvs).size).toBe(3);

    ctl.abort();
    await until('done callback', () => done !== 'not yet');
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('w2', ns, { w: '1' }) });
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toHaveLength(3);
  });

  it('watch from resourceVersion 0 replays the current state as ADDED', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('r1', ns, { replay: 'y' }) });
    const events: Seen[] = [];
    const ctl = await new Watch(kc).watch(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: '0', labelSelector: 'replay=y' }, (type, obj: V1ConfigMap) => events.push(seen(type, obj)), () => {});
    await until('replayed ADDED', () => events.length >= 1);
    expect(events.map((e) => [e.type, e.name])).toEqual([['ADDED', 'r1']]);
    ctl.abort();
  });

  it('runs an informer: list, then watch, with a cache that follows', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('i0', ns, { inf: 'y' }, { v: '0' }) });
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const informer = makeInformer<V1ConfigMap>(kc, path, () => core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'inf=y' }), 'inf=y');
    const events: Seen[] = [];
    const errors: unknown[] = [];
    informer.on('add', (o) => events.push(seen('add', o)));
    informer.on('update', (o) => events.push(seen('update', o)));
    informer.on('delete', (o) => events.push(seen('delete', o)));
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    try {
      await until('initial add', () => events.length >= 1);
      expect(informer.list(ns).map((o) => o.metadata!.name)).toEqual(['i0']);

      await core.createNamespacedConfigMap({ namespace: ns, body: configMap('i1', ns, { inf: 'y' }, { v: '1' }) });
      await core.createNamespacedConfigMap({ namespace: ns, body: configMap('i-not', ns, { inf: 'n' }) });
      await core.patchNamespacedConfigMap({ name: 'i1', namespace: ns, body: { data: { v: '2' } } }, merge);
      await core.deleteNamespacedConfigMap({ name: 'i0', namespace: ns });
      await until('four events', () => events.length >= 4);
      expect(events.map((e) => [e.type, e.name, e.data])).toEqual([
        ['add', 'i0', { v: '0' }], ['add', 'i1', { v: '1' }], ['update', 'i1', { v: '2' }], ['delete', 'i0', { v: '0' }],
      ]);
      expect(informer.list(ns).map((o) => o.metadata!.name)).toEqual(['i1']);
      expect(informer.get('i1', ns)?.data).toEqual({ v: '2' });
      expect(informer.get('i0', ns)).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});
