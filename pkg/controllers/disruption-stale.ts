import { keyOf, type Client, type Informer } from '../api/client/index.ts';
import { isConflict, isNotFound } from '../api/status.ts';
import type { KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Condition = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; lastProbeTime?: string | null };
type Pod = KObject & { status?: { phase?: string; conditions?: Condition[] } };

/** How long a pod may carry DisruptionTarget=True without being deleted (upstream's stalePodDisruptionTimeout). */
export const stalePodDisruptionTimeoutMs = 2 * 60_000;

const stamp = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Milliseconds until a pod's DisruptionTarget condition is stale (0: now); undefined when it has
 * none to clean: the pod is terminating or finished, or the kubelet set it.
 */
function staleIn(pod: Pod, now: number): number | undefined {
  if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
  const cond = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  if (!cond || cond.status !== 'True' || cond.reason === 'TerminationByKubelet') return undefined;
  return Math.max(0, Date.parse(cond.lastTransitionTime ?? '') + stalePodDisruptionTimeoutMs - now) || 0;
}

/**
 * The disruption controller's second loop: a pod the eviction API marked as a disruption target
 * but that was never deleted (the delete failed or lost a race) gets DisruptionTarget=False once
 * the condition is two minutes old, so it is not mistaken for one being disrupted.
 */
export function staleDisruptionCleanup(client: Client, pods: Informer<Pod>, log: Logger, now: () => number): Component {
  const queue = new WorkQueue();

  async function reconcile(key: string): Promise<number | void> {
    const pod = pods.get(key);
    if (!pod) return;
    const wait = staleIn(pod, now());
    if (wait === undefined) return;
    if (wait > 0) return wait + 1;
    const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'DisruptionTarget' ? { type: c.type, status: 'False', lastProbeTime: null, lastTransitionTime: stamp(now()) } : c));
    try {
      await client.resource<Pod>('v1', 'pods').updateStatus(pod.metadata.namespace, { ...pod, status: { ...pod.status, conditions } });
    } catch (err) {
      if (isNotFound(err)) return;
      if (isConflict(err)) throw new Error(`pod ${key} changed meanwhile; retrying`);
      throw err;
    }
  }

  const consider = (p: Pod) => staleIn(p, now()) !== undefined && queue.add(keyOf(p));
  const loop = controllerLoop('disruption-stale-pods', queue, reconcile, log, 1);
  return {
    name: 'disruption-stale-pods',
    async start(signal) {
      pods.onAdd(consider);
      pods.onUpdate((_o, p) => consider(p));
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
