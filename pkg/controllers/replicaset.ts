import { keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { apps, core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, controllerOf, Expectations, selectorMatches, WorkQueue } from './runtime/index.ts';
import { podIsReady, podIsAvailable, isActive, deletionOrder } from './pod-state.ts';

type ReplicaSet = apps.ReplicaSet & KObject;
type Pod = core.Pod & KObject;

/** Upstream creates pods in batches of 1, 2, 4, … so a failing template fails fast. */
const slowStartInitial = 1;

/**
 * The ReplicaSet controller: keeps `spec.replicas` pods from the template running, owned by the
 * ReplicaSet (adopting orphans its selector matches, releasing pods it no longer matches),
 * deleting extras in upstream's preference order, and reporting status counts.
 */
export function replicaSetController(client: Client, informers: InformerFactory, log: Logger, now: () => number = Date.now): Component {
  const sets = informers.informer<ReplicaSet>('apps/v1', 'replicasets');
  const pods = informers.informer<Pod>('v1', 'pods');
  const queue = new WorkQueue();
  const expectations = new Expectations(now);
  const podClient = client.resource<Pod>('v1', 'pods');

  const ownerKey = (p: Pod) => {
    const o = controllerOf(p);
    return o?.kind === 'ReplicaSet' ? `${p.metadata.namespace}/${o.name}` : undefined;
  };
  const enqueueFor = (p: Pod) => {
    const k = ownerKey(p);
    if (k) return queue.add(k);
    // An orphan: every ReplicaSet that could adopt it looks again.
    for (const rs of sets.byIndex('namespace', p.metadata.namespace ?? '')) if (selectorMatches(rs.spec?.selector, p.metadata.labels)) queue.add(keyOf(rs));
  };

  async function reconcile(key: string): Promise<number | void> {
    const rs = sets.get(key);
    if (!rs) return expectations.delete(key);
    if (rs.metadata.deletionTimestamp) return;
    const ns = rs.metadata.namespace!;
    const all = pods.byIndex('namespace', ns);
    const owned: Pod[] = [];
    for (const p of all) {
      const o = controllerOf(p);
      const matches = selectorMatches(rs.spec?.selector, p.metadata.labels);
      if (o?.uid === rs.metadata.uid) {
        if (matches) owned.push(p);
        else await release(p, rs);
      } else if (!o && matches && !p.metadata.deletionTimestamp && !rs.metadata.deletionTimestamp) {
        if (await adopt(p, rs)) owned.push(p);
      }
    }
    const active = owned.filter(isActive);
    if (expectations.satisfied(key)) await manageReplicas(rs, key, active);
    return updateStatus(rs, owned);
  }

  async function manageReplicas(rs: ReplicaSet, key: string, active: Pod[]): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = active.length - want;
    if (diff < 0) {
      let remaining = -diff;
      expectations.expect(key, remaining, 0);
      for (let batch = slowStartInitial; remaining > 0; batch *= 2) {
        const n = Math.min(batch, remaining);
        const results = await Promise.allSettled(Array.from({ length: n }, () => podClient.create(rs.metadata.namespace, podFromTemplate(rs))));
        const failed = results.filter((r) => r.status === 'rejected');
        remaining -= n;
        if (failed.length) {
          expectations.lowerAdds(key, failed.length + remaining); // the skipped ones will not come either
          throw (failed[0] as PromiseRejectedResult).reason;
        }
      }
    } else if (diff > 0) {
      const victims = [...active].sort(deletionOrder).slice(0, diff);
      expectations.expect(key, 0, victims.length);
      await Promise.all(victims.map(async (p) => {
        try {
          await podClient.delete(p.metadata.namespace, p.metadata.name!, { preconditions: { uid: p.metadata.uid } });
        } catch (err) {
          expectations.lowerDels(key);
          if (!isNotFound(err)) throw err;
        }
      }));
    }
  }

  async function updateStatus(rs: ReplicaSet, owned: Pod[]): Promise<number | void> {
    const active = owned.filter(isActive);
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
    const status = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
      readyReplicas: active.filter(podIsReady).length,
      availableReplicas: active.filter((p) => podIsAvailable(p, minReady, now())).length,
      observedGeneration: rs.metadata.generation,
    };
    const cur = (rs.status ?? {}) as Record<string, number | undefined>;
    const changed = (Object.keys(status) as (keyof typeof status)[]).some((k) => (cur[k] ?? 0) !== (status[k] ?? 0));
    if (changed) await client.resource<ReplicaSet>('apps/v1', 'replicasets').patch(rs.metadata.namespace, rs.metadata.name!, 'merge', { status }, { subresource: 'status' });
    // Pods that are ready but not yet available become available after minReadySeconds.
    if (minReady > 0 && status.readyReplicas > status.availableReplicas) return minReady * 1000;
  }

  async function adopt(p: Pod, rs: ReplicaSet): Promise<boolean> {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true };
    try {
      await podClient.patch(p.metadata.namespace, p.metadata.name!, 'merge', { metadata: { ownerReferences: [...(p.metadata.ownerReferences ?? []), ref], uid: p.metadata.uid } });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async function release(p: Pod, rs: ReplicaSet): Promise<void> {
    const refs = (p.metadata.ownerReferences ?? []).filter((o) => o.uid !== rs.metadata.uid);
    try {
      await podClient.patch(p.metadata.namespace, p.metadata.name!, 'merge', { metadata: { ownerReferences: refs.length ? refs : null } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const loop = controllerLoop('replicaset', queue, reconcile, log);
  return {
    name: 'replicaset',
    async start(signal) {
      sets.onAdd((rs) => queue.add(keyOf(rs)));
      sets.onUpdate((_o, rs) => queue.add(keyOf(rs)));
      sets.onDelete((rs) => expectations.delete(keyOf(rs)));
      pods.onAdd((p) => {
        const k = ownerKey(p);
        if (k) expectations.observedAdd(k);
        enqueueFor(p);
      });
      pods.onUpdate((old, p) => {
        // A graceful delete is observed when deletionTimestamp appears (as upstream's updatePod).
        const k = ownerKey(p);
        if (k && p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) expectations.observedDel(k);
        enqueueFor(p);
        const was = ownerKey(old);
        if (was && was !== ownerKey(p)) queue.add(was);
      });
      pods.onDelete((p) => {
        const k = ownerKey(p);
        if (k) expectations.observedDel(k);
        enqueueFor(p);
      });
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}

/** A pod for `rs`: the template's metadata and spec, a generated name, the controller reference. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const t = rs.spec?.template ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: { ...t.metadata?.labels },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(t.spec) as core.PodSpec,
  };
}
