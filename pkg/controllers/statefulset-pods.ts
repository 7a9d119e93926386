import type { core } from '../api/types/index.ts';
import { podIsAvailable } from './pod-state.ts';
import { isFinished, isRunningAndReady, isTerminating, newPod, ordinalOf, ordinalRange, revisionLabel, type Pod, type StatefulSet } from './statefulset-identity.ts';

/** The writes one pass may make; each resolves once the API accepted it. */
export interface SetActions {
  /** Creates the ordinal's missing claims, then the pod. */
  create(pod: Pod, ordinal: number): Promise<void>;
  delete(pod: Pod): Promise<void>;
  /** Puts back a live pod's identity labels and, while it is Pending, its missing claims. */
  repair(pod: Pod, ordinal: number): Promise<void>;
  /** Before a condemned pod goes: its claims take the whenScaled retention owner. */
  condemn(pod: Pod, ordinal: number): Promise<void>;
}

export interface Revisions {
  current: { name: string; template: core.PodTemplateSpec };
  update: { name: string; template: core.PodTemplateSpec };
}

/**
 * One pass of upstream's updateStatefulSet over the set's pods, in its order: replace finished
 * pods and create missing ones (lowest ordinal first), delete condemned ones (highest first),
 * then roll pods at an old revision from the highest ordinal down to the partition, one at a
 * time, each waiting for the previous to be Ready. OrderedReady (monotonic) stops at the first
 * write or at a pod that is not yet Running and Ready; Parallel creates and deletes in bursts.
 * Returns the pods it created, which count in this pass's status as upstream's do.
 */
export async function syncPods(set: StatefulSet, owned: Pod[], revs: Revisions, act: SetActions, now: number): Promise<Pod[]> {
  const created: Pod[] = [];
  const { start, end } = ordinalRange(set);
  const replicas: (Pod | undefined)[] = Array.from({ length: end - start });
  const condemned: Pod[] = [];
  for (const p of owned) {
    const ord = ordinalOf(set, p);
    if (ord < 0) continue;
    if (ord >= start && ord < end) replicas[ord - start] = p;
    else condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  const partition = rolling ? set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0 : 0;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const healthy = (p: Pod) => !isTerminating(p) && isRunningAndReady(p) && podIsAvailable(p, minReady, now);

  for (let i = 0; i < replicas.length; i++) {
    const ord = start + i;
    const p = replicas[i];
    if (p && isFinished(p) && !isTerminating(p)) {
      // A pod that ran to an end is replaced under the same identity (and waits for it to go).
      await act.delete(p);
      if (monotonic) return created;
      continue;
    }
    if (!p) {
      const rev = rolling && i < partition ? revs.current : revs.update;
      const pod = newPod(set, rev.template, rev.name, ord);
      await act.create(pod, ord);
      created.push(pod);
      if (monotonic) return created;
      continue;
    }
    if (!isTerminating(p)) await act.repair(p, ord);
    if (monotonic && !healthy(p)) return created;
  }

  const unhealthy = [...replicas, ...condemned].find((p) => p && !healthy(p));
  for (const p of condemned) {
    if (isTerminating(p)) {
      if (monotonic) return created;
      continue;
    }
    if (monotonic && unhealthy && unhealthy !== p) return created;
    await act.condemn(p, ordinalOf(set, p));
    await act.delete(p);
    if (monotonic) return created;
  }

  if (!rolling) return created;
  for (let i = replicas.length - 1; i >= partition; i--) {
    const p = replicas[i];
    if (!p) continue;
    if (p.metadata.labels?.[revisionLabel] !== revs.update.name && !isTerminating(p)) {
      await act.delete(p);
      return created;
    }
    if (!healthy(p)) return created;
  }
  return created;
}
