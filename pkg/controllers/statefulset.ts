import { EventRecorder, keyOf, type Client, type InformerFactory, type ResourceClient } from '../api/client/index.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import type { KObject, OwnerReference } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, controllerOf, selectorMatches, WorkQueue } from './runtime/index.ts';
import { claimOwners, claimsFor, ordinalOf, ordinalRange, podIndexLabel, podNameLabel, type Claim, type Pod, type StatefulSet } from './statefulset-identity.ts';
import { syncPods, type Revisions } from './statefulset-pods.ts';
import { newRevision, ownedRevisions, revisionData, revisionsToPrune, sameData, templateOf, type Revision } from './statefulset-revisions.ts';
import { statefulSetStatus, statusChanged } from './statefulset-status.ts';

const kind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

/**
 * The StatefulSet controller: pods `<set>-<ordinal>` with stable hostnames and claims
 * `<template>-<set>-<ordinal>` created before their pod and kept (or handed to the garbage
 * collector under persistentVolumeClaimRetentionPolicy), ordered or parallel scaling, a
 * ControllerRevision per template for RollingUpdate with partition and OnDelete (what `kubectl
 * rollout history/undo/status` read), and upstream's status. Orphaned pods named for the set and
 * orphaned revisions its selector matches are adopted; a pod with another owner is left alone.
 */
export function statefulSetController(client: Client, informers: InformerFactory, log: Logger, now: () => number = Date.now): Component {
  const sets = informers.informer<StatefulSet>('apps/v1', 'statefulsets');
  const pods = informers.informer<Pod>('v1', 'pods');
  const claims = informers.informer<Claim>('v1', 'persistentvolumeclaims');
  const revisions = informers.informer<Revision>('apps/v1', 'controllerrevisions');
  const queue = new WorkQueue();
  const events = new EventRecorder(client, { component: 'statefulset-controller' }, log);
  const podClient = client.resource<Pod>('v1', 'pods');
  const claimClient = client.resource<Claim>('v1', 'persistentvolumeclaims');
  const revClient = client.resource<Revision>('apps/v1', 'controllerrevisions');
  const setClient = client.resource<StatefulSet>('apps/v1', 'statefulsets');

  async function reconcile(key: string): Promise<number | void> {
    const set = sets.get(key);
    if (!set || set.metadata.deletionTimestamp) return;
    const ns = set.metadata.namespace!;
    const owned = await claimObjects(set, podClient, pods.byIndex('namespace', ns), (p) => ordinalOf(set, p) >= 0);
    const revs = await ensureRevisions(set);
    await keepClaimOwners(set, owned);
    const created = await syncPods(set, owned, revs, {
      create: (pod, ord) => createPod(set, pod, ord),
      repair: (pod, ord) => repairPod(set, pod, ord),
      delete: (pod) => deletePod(set, pod),
      condemn: (pod, ord) => keepClaimOwners(set, [pod], ord),
    }, now());
    const status = statefulSetStatus(set, [...owned, ...created], revs.current.name, revs.update.name, now());
    if (statusChanged(set.status, status)) await setClient.patch(ns, set.metadata.name!, 'merge', { status }, { subresource: 'status' });
    await pruneRevisions(set, revs, owned);
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && (status.readyReplicas ?? 0) > (status.availableReplicas ?? 0)) return minReady * 1000;
  }

  /**
   * The update revision is the one whose data equals the template (an older equal one is
   * renumbered to the newest, as after `rollout undo`); the current one is status.currentRevision.
   */
  async function ensureRevisions(set: StatefulSet): Promise<Revisions> {
    const owned = ownedRevisions(set, await claimObjects(set, revClient, revisions.byIndex('namespace', set.metadata.namespace!), () => true));
    const top = owned.at(-1)?.revision ?? 0;
    const data = revisionData(set);
    let update = owned.find((r) => sameData(r.data, data));
    if (update && update !== owned.at(-1)) {
      update = await revClient.patch(set.metadata.namespace, update.metadata.name!, 'merge', { revision: top + 1 });
    } else if (!update) {
      const fresh = newRevision(set, top + 1);
      update = await revClient.create(set.metadata.namespace, fresh).catch(async (err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
        const existing = await revClient.get(set.metadata.namespace, fresh.metadata.name!);
        if (controllerOf(existing)?.uid === set.metadata.uid && sameData(existing.data, data)) return existing;
        // A hash collision: the next pass names the revision with a bumped collisionCount.
        await setClient.patch(set.metadata.namespace, set.metadata.name!, 'merge', { status: { collisionCount: (set.status?.collisionCount ?? 0) + 1 } }, { subresource: 'status' });
        throw new Error(`controller revision ${fresh.metadata.name} collides with another; retrying with a new collisionCount`);
      });
    }
    const current = owned.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return {
      current: { name: current.metadata.name!, template: templateOf(current) },
      update: { name: update.metadata.name!, template: set.spec!.template },
    };
  }

  /**
   * Upstream's ClaimPods / ClaimControllerRevisions: the set's objects (selector match, and for pods
   * a name of this set), adopting orphans that qualify (e.g. after `delete --cascade=orphan` and
   * a new set) and releasing owned ones that no longer do.
   */
  async function claimObjects<T extends Pod | Revision>(set: StatefulSet, api: ResourceClient<T>, all: T[], member: (o: T) => boolean): Promise<T[]> {
    const out: T[] = [];
    for (const o of all) {
      const ref = controllerOf(o);
      const fits = member(o) && selectorMatches(set.spec?.selector, o.metadata.labels);
      if (ref?.uid === set.metadata.uid) {
        if (fits) out.push(o);
        else await setOwners(api, o, (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid));
      } else if (!ref && fits && !o.metadata.deletionTimestamp) {
        const mine = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true };
        const adopted = await setOwners(api, o, [...(o.metadata.ownerReferences ?? []), mine]);
        if (adopted) out.push(adopted);
      }
    }
    return out;
  }

  async function setOwners<T extends KObject>(api: ResourceClient<T>, o: T, refs: OwnerReference[]): Promise<T | undefined> {
    try {
      return await api.patch(o.metadata.namespace, o.metadata.name!, 'merge', { metadata: { ownerReferences: refs.length ? refs : null, uid: o.metadata.uid } });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async function createPod(set: StatefulSet, pod: Pod, ord: number): Promise<void> {
    await createClaims(set, pod, ord);
    try {
      await podClient.create(set.metadata.namespace, pod);
      events.record(set, { type: 'Normal', reason: 'SuccessfulCreate', message: `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful` }, undefined, kind);
    } catch (err) {
      // The stable name makes a lagging cache harmless: the pod is there, the next pass sees it.
      if (isAlreadyExists(err)) return;
      events.record(set, { type: 'Warning', reason: 'FailedCreate', message: `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}` }, undefined, kind);
      throw err;
    }
  }

  /**
   * Upstream's invariants for a pod that exists: its identity labels are put back if someone
   * changed them, and a pod still Pending gets any claim it lacks (one deleted before it started).
   */
  async function repairPod(set: StatefulSet, pod: Pod, ord: number): Promise<void> {
    const want = { [podNameLabel]: pod.metadata.name!, [podIndexLabel]: String(ord) };
    if (Object.entries(want).some(([k, v]) => pod.metadata.labels?.[k] !== v)) {
      await podClient.patch(pod.metadata.namespace, pod.metadata.name!, 'merge', { metadata: { labels: want, uid: pod.metadata.uid } }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }
    if ((pod.status?.phase ?? 'Pending') === 'Pending') await createClaims(set, pod, ord, false);
  }

  /** `strict`: a claim still being deleted is an error to retry (a new pod must not start on it). */
  async function createClaims(set: StatefulSet, pod: Pod, ord: number, strict = true): Promise<void> {
    const ns = set.metadata.namespace!;
    for (const claim of claimsFor(set, ord)) {
      const have = claims.get(`${ns}/${claim.metadata.name}`);
      if (have?.metadata.deletionTimestamp && strict) throw new Error(`claim ${claim.metadata.name} for pod ${pod.metadata.name} is being deleted; waiting`);
      if (have) continue;
      claim.metadata.ownerReferences = claimOwners(claim, set, undefined, false);
      if (!claim.metadata.ownerReferences?.length) delete claim.metadata.ownerReferences;
      try {
        await claimClient.create(ns, claim);
        events.record(set, { type: 'Normal', reason: 'SuccessfulCreate', message: `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success` }, undefined, kind);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        events.record(set, { type: 'Warning', reason: 'FailedCreate', message: `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}` }, undefined, kind);
        throw err;
      }
    }
  }

  async function deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await podClient.delete(pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
      events.record(set, { type: 'Normal', reason: 'SuccessfulDelete', message: `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful` }, undefined, kind);
    } catch (err) {
      if (isNotFound(err)) return;
      events.record(set, { type: 'Warning', reason: 'FailedDelete', message: `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}` }, undefined, kind);
      throw err;
    }
  }

  /** Claim owner references per the retention policy; `condemnedOrdinal` marks a pod about to be scaled away. */
  async function keepClaimOwners(set: StatefulSet, owned: Pod[], condemnedOrdinal?: number): Promise<void> {
    const { start, end } = ordinalRange(set);
    const ns = set.metadata.namespace!;
    for (const pod of owned) {
      const ord = ordinalOf(set, pod);
      const condemned = ord === condemnedOrdinal || ord < start || ord >= end;
      // A condemned pod's claims change owner only right before it is deleted (upstream's order).
      if (condemned && condemnedOrdinal === undefined) continue;
      for (const want of claimsFor(set, ord)) {
        const claim = claims.get(`${ns}/${want.metadata.name}`);
        if (!claim || claim.metadata.deletionTimestamp) continue;
        const refs = claimOwners(claim, set, pod, condemned) ?? [];
        if (JSON.stringify(refs) === JSON.stringify(claim.metadata.ownerReferences ?? [])) continue;
        await claimClient.patch(ns, claim.metadata.name!, 'merge', { metadata: { ownerReferences: refs.length ? refs : null, uid: claim.metadata.uid } }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
    }
  }

  async function pruneRevisions(set: StatefulSet, revs: Revisions, owned: Pod[]): Promise<void> {
    const live = new Set([revs.current.name, revs.update.name, ...owned.map((p) => p.metadata.labels?.['controller-revision-hash'] ?? '')]);
    for (const r of revisionsToPrune(set, ownedRevisions(set, revisions.byIndex('namespace', set.metadata.namespace!)), live)) {
      await revClient.delete(r.metadata.namespace, r.metadata.name!, {}).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }
  }

  const loop = controllerLoop('statefulset', queue, reconcile, log);
  const byOwner = (o: Pod | Revision) => {
    const ref = controllerOf(o);
    if (ref?.kind === 'StatefulSet') return queue.add(`${o.metadata.namespace}/${ref.name}`);
    // An orphan: every set that could adopt it looks again.
    if (!ref) for (const s of sets.byIndex('namespace', o.metadata.namespace ?? '')) if (selectorMatches(s.spec?.selector, o.metadata.labels)) queue.add(keyOf(s));
  };
  // A claim of a set (`<template>-<set>-<n>`) going away lets a waiting pod be created.
  const byClaim = (c: Claim) => {
    for (const s of sets.byIndex('namespace', c.metadata.namespace ?? '')) {
      if ((s.spec?.volumeClaimTemplates ?? []).some((t) => c.metadata.name?.startsWith(`${t.metadata?.name}-${s.metadata.name}-`))) queue.add(keyOf(s));
    }
  };
  return {
    name: 'statefulset',
    async start(signal) {
      sets.onAdd((s) => queue.add(keyOf(s)));
      sets.onUpdate((_o, s) => queue.add(keyOf(s)));
      pods.onAdd(byOwner);
      pods.onUpdate((o, p) => {
        byOwner(p);
        if (controllerOf(o)?.uid !== controllerOf(p)?.uid) byOwner(o);
      });
      pods.onDelete(byOwner);
      revisions.onAdd(byOwner);
      revisions.onDelete(byOwner);
      claims.onDelete(byClaim);
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
