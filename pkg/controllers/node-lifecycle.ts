import type { Client, InformerFactory } from '../api/client/index.ts';
import { EventRecorder } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';

type Node = core.Node & KObject;
type Pod = core.Pod & KObject;
type Lease = KObject & { spec?: { renewTime?: string } };

export const unreachableTaint = 'node.kubernetes.io/unreachable';
export const notReadyTaint = 'node.kubernetes.io/not-ready';

export interface NodeLifecycleOptions {
  /** A node whose Lease is older than this is Unknown (upstream's node-monitor-grace-period). */
  gracePeriodMs?: number;
  /** How often nodes are checked. */
  periodMs?: number;
  /** Eviction delay for pods without their own toleration (upstream's admission default, 300 s). */
  defaultTolerationSeconds?: number;
  /** The same for the not-ready taint (default: defaultTolerationSeconds). */
  defaultNotReadyTolerationSeconds?: number;
  now?: () => number;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The node lifecycle controller: a node whose Lease stops being renewed goes Unknown (every
 * condition, reason NodeStatusUnknown) and gets the unreachable taints; a node reporting
 * Ready=False gets the not-ready taints; both are NoSchedule and NoExecute. Pods on a NoExecute-
 * tainted node are evicted after their toleration's tolerationSeconds (upstream's default 300 s
 * when they carry none). Recovery removes the taints. `tick()` runs one pass (tests drive it).
 */
export function nodeLifecycle(client: Client, informers: InformerFactory, log: Logger, opts: NodeLifecycleOptions = {}): Component & { tick(): Promise<void> } {
  const nodes = informers.informer<Node>('v1', 'nodes');
  const leases = informers.informer<Lease>('coordination.k8s.io/v1', 'leases', { namespace: 'kube-node-lease' });
  const pods = informers.informer<Pod>('v1', 'pods');
  const events = new EventRecorder(client, { component: 'node-controller' }, log);
  const now = opts.now ?? Date.now;
  const grace = opts.gracePeriodMs ?? 40_000;
  const defaultSeconds = opts.defaultTolerationSeconds ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function tick(): Promise<void> {
    for (const node of nodes.list()) {
      try {
        await checkNode(node);
      } catch (err) {
        if (!isNotFound(err)) log.warn('node check failed', { node: node.metadata.name, err: (err as Error).message });
      }
    }
  }

  async function checkNode(node: Node): Promise<void> {
    const name = node.metadata.name!;
    const lease = leases.get(`kube-node-lease/${name}`);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const heartbeat = Math.max(Date.parse(lease?.spec?.renewTime ?? '') || 0, Date.parse(ready?.lastHeartbeatTime ?? '') || 0, Date.parse(node.metadata.creationTimestamp ?? '') || 0);
    const t = now();
    const silent = t - heartbeat > grace;
    const nodes_ = client.resource<Node>('v1', 'nodes');

    if (silent && ready?.status !== 'Unknown') {
      const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: stamp(t) }));
      if (!conditions.some((c) => c.type === 'Ready')) conditions.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastTransitionTime: stamp(t) });
      await nodes_.patch(undefined, name, 'merge', { status: { conditions } }, { subresource: 'status' });
      events.record(node, { type: 'Normal', reason: 'NodeNotReady', message: `Node ${name} status is now: NodeNotReady` }, undefined, { apiVersion: 'v1', kind: 'Node' });
      return; // the informer brings the new status; taints follow on the next pass
    }
    const wanted = silent || ready?.status === 'Unknown' ? unreachableTaint : ready?.status === 'False' ? notReadyTaint : undefined;
    const taints = node.spec?.taints ?? [];
    const ours = (k?: string) => k === unreachableTaint || k === notReadyTaint;
    const keep = taints.filter((x) => !ours(x.key) || x.key === wanted);
    const next = wanted && !keep.some((x) => x.key === wanted)
      ? [...keep, { key: wanted, effect: 'NoSchedule' }, { key: wanted, effect: 'NoExecute', timeAdded: stamp(t) }]
      : keep;
    if (next.length !== taints.length) {
      await nodes_.patch(undefined, name, 'merge', { spec: { taints: next.length ? next : null } });
      return;
    }
    const noExecute = taints.find((x) => x.key === wanted && x.effect === 'NoExecute');
    if (noExecute) await evict(node, noExecute, t);
  }

  async function evict(node: Node, taint: core.Taint, t: number): Promise<void> {
    const since = Date.parse(taint.timeAdded ?? '') || t;
    for (const p of pods.list()) {
      if (p.spec?.nodeName !== node.metadata.name || p.metadata.deletionTimestamp) continue;
      const tol = (p.spec?.tolerations ?? []).find((x) => (x.effect === 'NoExecute' || !x.effect) && (x.operator === 'Exists' ? !x.key || x.key === taint.key : x.key === taint.key));
      if (tol && tol.tolerationSeconds === undefined) continue; // tolerated for ever
      const seconds = tol?.tolerationSeconds ?? (taint.key === notReadyTaint ? (opts.defaultNotReadyTolerationSeconds ?? defaultSeconds) : defaultSeconds);
      if (t - since < seconds * 1000) continue;
      events.record(p, { type: 'Normal', reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${p.metadata.namespace}/${p.metadata.name}` });
      try {
        await client.resource('v1', 'pods').delete(p.metadata.namespace, p.metadata.name!, { preconditions: { uid: p.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err;
      }
    }
  }

  return {
    name: 'node-lifecycle',
    tick: () => (running = running.then(tick)),
    async start() {
      const loop = () => {
        timer = setTimeout(() => void (running = running.then(tick)).finally(loop), opts.periodMs ?? 5_000);
        timer.unref();
      };
      loop();
    },
    async stop() {
      clearTimeout(timer);
      await running;
    },
  };
}
