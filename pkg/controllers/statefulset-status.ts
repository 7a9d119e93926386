import type { apps } from '../api/types/index.ts';
import { podIsAvailable } from './pod-state.ts';
import { isRunningAndReady, isTerminating, revisionLabel, type Pod, type StatefulSet } from './statefulset-identity.ts';

/**
 * Status as upstream's computeReplicaStatus and completeRollingUpdate: every pod of the set
 * counts in replicas; current/updated count pods not terminating at each revision; once a
 * RollingUpdate has every pod updated and ready the update revision becomes the current one.
 * Under OnDelete the same happens once every pod has been replaced by hand.
 */
export function statefulSetStatus(set: StatefulSet, pods: Pod[], current: string, update: string, now: number): apps.StatefulSetStatus {
  const minReady = set.spec?.minReadySeconds ?? 0;
  const live = pods.filter((p) => !isTerminating(p));
  const status: apps.StatefulSetStatus = {
    observedGeneration: set.metadata.generation,
    replicas: pods.length,
    readyReplicas: pods.filter(isRunningAndReady).length,
    availableReplicas: pods.filter((p) => isRunningAndReady(p) && podIsAvailable(p, minReady, now)).length,
    currentReplicas: live.filter((p) => p.metadata.labels?.[revisionLabel] === current).length,
    updatedReplicas: live.filter((p) => p.metadata.labels?.[revisionLabel] === update).length,
    currentRevision: current,
    updateRevision: update,
    collisionCount: set.status?.collisionCount ?? 0,
  };
  const onDelete = set.spec?.updateStrategy?.type === 'OnDelete';
  if (status.updatedReplicas === status.replicas && (onDelete || status.readyReplicas === status.replicas)) {
    status.currentRevision = update;
    status.currentReplicas = status.updatedReplicas;
  }
  return status;
}

/** Whether a written status differs from the one computed (only the fields computed here). */
export function statusChanged(cur: apps.StatefulSetStatus | undefined, next: apps.StatefulSetStatus): boolean {
  const c = (cur ?? {}) as Record<string, unknown>;
  return Object.entries(next).some(([k, v]) => (c[k] ?? 0) !== (v ?? 0));
}
