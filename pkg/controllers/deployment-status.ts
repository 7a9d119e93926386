import type { apps, KObject } from '../api/types/index.ts';

type Deployment = apps.Deployment & KObject;
type ReplicaSet = apps.ReplicaSet & KObject;

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A Deployment's status from its ReplicaSets, with upstream's conditions: Available (minimum
 * availability) and Progressing (ReplicaSetUpdated while rolling, NewReplicaSetAvailable once
 * complete, ProgressDeadlineExceeded when no progress within progressDeadlineSeconds).
 */
export function deploymentStatus(d: Deployment, newRS: ReplicaSet | undefined, all: ReplicaSet[], maxUnavailable: number, now: number): apps.DeploymentStatus {
  const replicas = d.spec?.replicas ?? 1;
  const sum = (f: (rs: ReplicaSet) => number | undefined) => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const status: apps.DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sum((rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas),
    availableReplicas: sum((rs) => rs.status?.availableReplicas),
    unavailableReplicas: Math.max(0, replicas - sum((rs) => rs.status?.availableReplicas)),
    ...(d.status?.collisionCount ? { collisionCount: d.status.collisionCount } : {}),
  };
  const old = d.status?.conditions ?? [];
  const cond = (type: string, ok: boolean | 'Unknown', reason: string, message: string) => {
    const prev = old.find((c) => c.type === type);
    const s = ok === 'Unknown' ? ok : ok ? 'True' : 'False';
    const same = prev?.status === s && prev.reason === reason;
    return { type, status: s, lastUpdateTime: same && prev?.message === message ? prev.lastUpdateTime : stamp(now), lastTransitionTime: prev?.status === s ? prev.lastTransitionTime : stamp(now), reason, message };
  };
  const available = (status.availableReplicas ?? 0) >= replicas - maxUnavailable;
  const availableCond = cond('Available', available, available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.');

  const name = newRS?.metadata.name ?? d.metadata.name;
  const complete = status.updatedReplicas === replicas && status.replicas === replicas && status.availableReplicas === replicas;
  const prevProgress = old.find((c) => c.type === 'Progressing');
  let progressing;
  // Paused and resumed are Unknown, as upstream: no deadline runs while paused.
  if (d.spec?.paused) progressing = cond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused');
  else if (prevProgress?.reason === 'DeploymentPaused' && !complete) progressing = cond('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed');
  else if (complete) progressing = cond('Progressing', true, 'NewReplicaSetAvailable', `ReplicaSet "${name}" has successfully progressed.`);
  else {
    const since = prevProgress?.reason === 'ReplicaSetUpdated' && prevProgress.lastUpdateTime ? Date.parse(prevProgress.lastUpdateTime) : now;
    const deadline = (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
    progressing = now - since > deadline || (prevProgress?.reason === 'ProgressDeadlineExceeded' && prevProgress.message?.includes(`"${name}"`))
      ? cond('Progressing', false, 'ProgressDeadlineExceeded', `ReplicaSet "${name}" has timed out progressing.`)
      : cond('Progressing', true, 'ReplicaSetUpdated', `ReplicaSet "${name}" is progressing.`);
    // Progress made (more updated/available pods) moves the clock, as upstream.
    if (progressing.reason === 'ReplicaSetUpdated' && ((d.status?.updatedReplicas ?? 0) !== status.updatedReplicas || (d.status?.availableReplicas ?? 0) !== status.availableReplicas)) progressing.lastUpdateTime = stamp(now);
  }
  return { ...status, conditions: [availableCond, progressing] };
}
