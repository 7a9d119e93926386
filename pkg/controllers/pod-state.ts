import type { core, KObject } from '../api/types/index.ts';

type Pod = core.Pod & KObject;

/** Counts toward a controller's replicas: not finished, not being deleted. */
export const isActive = (p: Pod) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp;

export const podIsReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Ready for at least `minReadySeconds`. */
export function podIsAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  if (minReadySeconds <= 0) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : now;
  return now - since >= minReadySeconds * 1000;
}

const phaseRank = (p: Pod) => (p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Running' ? 2 : 1);
const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, c) => Math.max(n, c.restartCount ?? 0), 0);

/**
 * Which pods a controller deletes first when scaling down (upstream's ActivePods order):
 * unscheduled before scheduled, pending before unknown before running, not ready before ready,
 * more restarts first, newer before older.
 */
export function deletionOrder(a: Pod, b: Pod): number {
  const sched = Number(!!a.spec?.nodeName) - Number(!!b.spec?.nodeName);
  if (sched) return sched;
  const phase = phaseRank(a) - phaseRank(b);
  if (phase) return phase;
  const ready = Number(podIsReady(a)) - Number(podIsReady(b));
  if (ready) return ready;
  const r = restarts(b) - restarts(a);
  if (r) return r;
  return Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '') || 0;
}
