import type { apps, KObject } from '../api/types/index.ts';

type Deployment = apps.Deployment & KObject;
type ReplicaSet = apps.ReplicaSet & KObject;

/** Opt-in: a Deployment whose rollout misses its progress deadline goes back to its last good revision. */
export const autoRollbackAnnotation = 'skiff.io/auto-rollback';
/**
 * Set on a ReplicaSet once a rollout to it completed. Auto-rollback only ever returns to such a
 * revision, so two bad revisions can never roll back and forth into each other.
 */
export const rolloutCompleteAnnotation = 'skiff.io/rollout-complete';

const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

/**
 * The ReplicaSet an auto-rollback should return to, or undefined when none applies: the
 * Deployment asks for it, its Progressing condition says the deadline was exceeded, and an older
 * revision once completed a rollout (the newest such one wins).
 */
export function rollbackTarget(d: Deployment, status: apps.DeploymentStatus, newRS: ReplicaSet | undefined, old: ReplicaSet[]): ReplicaSet | undefined {
  if (d.metadata.annotations?.[autoRollbackAnnotation] !== 'true' || d.spec?.paused) return undefined;
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return undefined;
  if (newRS?.metadata.annotations?.[rolloutCompleteAnnotation] === 'true') return undefined;
  return old.filter((rs) => rs.metadata.annotations?.[rolloutCompleteAnnotation] === 'true').sort((a, b) => revisionOf(b) - revisionOf(a))[0];
}

/**
 * The JSON patch that puts `target`'s pod template back on the Deployment, as `kubectl rollout
 * undo` does: the template without the pod-template-hash label the controller added.
 */
export function rollbackPatch(target: ReplicaSet): unknown[] {
  const template = structuredClone(target.spec!.template!);
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  return [{ op: 'replace', path: '/spec/template', value: template }];
}

