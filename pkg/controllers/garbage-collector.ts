import { keyOf, type Client, type Informer, type InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

/** The kinds whose objects own or are owned in practice; all namespaced. */
const tracked: [apiVersion: string, kind: string, plural: string][] = [
  ['apps/v1', 'Deployment', 'deployments'], ['apps/v1', 'ReplicaSet', 'replicasets'], ['apps/v1', 'StatefulSet', 'statefulsets'],
  ['apps/v1', 'DaemonSet', 'daemonsets'], ['apps/v1', 'ControllerRevision', 'controllerrevisions'],
  ['batch/v1', 'Job', 'jobs'], ['batch/v1', 'CronJob', 'cronjobs'],
  ['v1', 'Pod', 'pods'], ['v1', 'Service', 'services'], ['v1', 'Endpoints', 'endpoints'], ['v1', 'ConfigMap', 'configmaps'],
  ['v1', 'Secret', 'secrets'], ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims'], ['v1', 'ServiceAccount', 'serviceaccounts'],
  ['discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices'], ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'],
];
const pluralOf = (apiVersion: string, kind: string) => tracked.find(([v, k]) => k === kind && v.split('/')[0] === apiVersion.split('/')[0])?.[2];

type Ref = { kind: string; apiVersion: string; uid: string; name: string; blockOwnerDeletion?: boolean };

/**
 * The garbage collector (upstream's, for the kinds above): dependents whose owners are all gone
 * are deleted (background propagation); dangling references next to live ones are removed; an
 * owner deleted in the foreground keeps its `foregroundDeletion` finalizer until its blocking
 * dependents are gone; an owner deleted with `orphan` has its dependents' references removed
 * before its finalizer is. Owner absence is confirmed with a live read, never from cache alone.
 */
export function garbageCollector(client: Client, informers: InformerFactory, log: Logger): Component {
  const infs: { inf: Informer; apiVersion: string; kind: string; plural: string }[] = tracked.map(([apiVersion, kind, plural]) => ({ inf: informers.informer(apiVersion, plural), apiVersion, kind, plural }));
  const byUid = new Map<string, { obj: KObject; kind: string; apiVersion: string; plural: string }>();
  const dependents = new Map<string, Set<string>>(); // owner uid → dependent queue keys
  const queue = new WorkQueue();
  // Queue keys are "<plural>|<apiVersion>|<ns>/<name>".
  const qkey = (plural: string, apiVersion: string, o: KObject) => `${plural}|${apiVersion}|${keyOf(o)}`;

  function index(obj: KObject, plural: string, apiVersion: string, kind: string): void {
    byUid.set(obj.metadata.uid!, { obj, plural, apiVersion, kind });
    for (const r of obj.metadata.ownerReferences ?? []) {
      const set = dependents.get(r.uid) ?? new Set();
      set.add(qkey(plural, apiVersion, obj));
      dependents.set(r.uid, set);
    }
  }

  async function ownerExists(ns: string | undefined, ref: Ref): Promise<boolean> {
    const cached = byUid.get(ref.uid);
    if (cached) return true;
    const plural = pluralOf(ref.apiVersion, ref.kind);
    if (!plural) return true; // an owner of a kind skiff does not track: never collect on a guess
    try {
      const live = await client.resource(ref.apiVersion, plural).get(ns, ref.name);
      return live.metadata.uid === ref.uid;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async function reconcile(key: string): Promise<void> {
    const [plural, apiVersion, name] = key.split('|') as [string, string, string];
    const inf = infs.find((i) => i.plural === plural && i.apiVersion === apiVersion)!;
    const obj = inf.inf.get(name);
    if (!obj) return;
    const rc = client.resource(apiVersion, plural);
    const ns = obj.metadata.namespace;

    // As an owner being deleted: foreground waits for blocking dependents; orphan releases them.
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && (finalizers.includes('foregroundDeletion') || finalizers.includes('orphan'))) {
      const deps = [...(dependents.get(obj.metadata.uid!) ?? [])].map((k) => lookup(k)).filter((d): d is NonNullable<typeof d> => !!d && (d.obj.metadata.ownerReferences ?? []).some((r) => r.uid === obj.metadata.uid));
      if (finalizers.includes('orphan')) {
        for (const d of deps) await removeRefs(d, [obj.metadata.uid!]);
        await rc.patch(ns, obj.metadata.name!, 'merge', { metadata: { finalizers: finalizers.filter((f) => f !== 'orphan'), resourceVersion: obj.metadata.resourceVersion } });
        return;
      }
      const blocking = deps.filter((d) => (d.obj.metadata.ownerReferences ?? []).some((r) => r.uid === obj.metadata.uid && r.blockOwnerDeletion));
      for (const d of deps) if (!d.obj.metadata.deletionTimestamp) await del(d, 'Foreground');
      if (blocking.length === 0) {
        await rc.patch(ns, obj.metadata.name!, 'merge', { metadata: { finalizers: finalizers.filter((f) => f !== 'foregroundDeletion'), resourceVersion: obj.metadata.resourceVersion } });
      }
      return;
    }

    // As a dependent: are its owners still there?
    const refs = (obj.metadata.ownerReferences ?? []) as Ref[];
    if (!refs.length || obj.metadata.deletionTimestamp) return;
    const gone: string[] = [];
    let waitingOnForeground = false;
    for (const r of refs) {
      const owner = byUid.get(r.uid)?.obj;
      if (owner?.metadata.deletionTimestamp && owner.metadata.finalizers?.includes('foregroundDeletion')) waitingOnForeground = true;
      if (!(await ownerExists(ns, r))) gone.push(r.uid);
    }
    if (waitingOnForeground && gone.length < refs.length) return await del({ obj, plural, apiVersion }, 'Foreground');
    if (gone.length === refs.length) await del({ obj, plural, apiVersion }, 'Background');
    else if (gone.length) await removeRefs({ obj, plural, apiVersion }, gone);
  }

  function lookup(k: string): { obj: KObject; plural: string; apiVersion: string } | undefined {
    const [plural, apiVersion, name] = k.split('|') as [string, string, string];
    const obj = infs.find((i) => i.plural === plural && i.apiVersion === apiVersion)?.inf.get(name);
    return obj ? { obj, plural, apiVersion } : undefined;
  }

  async function del(d: { obj: KObject; plural: string; apiVersion: string }, propagationPolicy: 'Background' | 'Foreground'): Promise<void> {
    try {
      await client.resource(d.apiVersion, d.plural).delete(d.obj.metadata.namespace, d.obj.metadata.name!, { propagationPolicy, preconditions: { uid: d.obj.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err;
    }
  }

  async function removeRefs(d: { obj: KObject; plural: string; apiVersion: string }, uids: string[]): Promise<void> {
    const left = (d.obj.metadata.ownerReferences ?? []).filter((r) => !uids.includes(r.uid));
    try {
      await client.resource(d.apiVersion, d.plural).patch(d.obj.metadata.namespace, d.obj.metadata.name!, 'merge', { metadata: { ownerReferences: left.length ? left : null, uid: d.obj.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const loop = controllerLoop('garbage-collector', queue, reconcile, log);
  return {
    name: 'garbage-collector',
    async start(signal) {
      for (const { inf, plural, apiVersion, kind } of infs) {
        const seen = (o: KObject) => {
          index(o, plural, apiVersion, kind);
          queue.add(qkey(plural, apiVersion, o));
        };
        inf.onAdd(seen);
        inf.onUpdate((_old, o) => seen(o));
        inf.onDelete((o) => {
          byUid.delete(o.metadata.uid!);
          // Its dependents may now be garbage.
          for (const k of dependents.get(o.metadata.uid!) ?? []) queue.add(k);
          dependents.delete(o.metadata.uid!);
        });
      }
      // Owners deleted in the foreground are re-checked as their dependents go.
      for (const { inf } of infs) {
        inf.onDelete((o) => {
          for (const r of o.metadata.ownerReferences ?? []) {
            const owner = byUid.get(r.uid);
            if (owner) queue.add(qkey(owner.plural, owner.apiVersion, owner.obj));
          }
        });
      }
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
