import { EventRecorder, keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { defaultFilters, type NodeInfo } from './filters.ts';
import { score } from './score.ts';
import { volumeBinding } from './volume-binding.ts';

type Pod = core.Pod & KObject;
type Node = core.Node & KObject;

export const schedulerName = 'default-scheduler';

/**
 * Places unscheduled pods (DESIGN.md §5): filter the nodes, score those left, bind through
 * pods/binding. Decisions are made one at a time against the informers' view plus the pods it
 * has just placed ("assumed", as upstream's cache), while the binding calls run concurrently, so
 * throughput is not one API round trip per pod. A pod that fits nowhere gets PodScheduled=False
 * with upstream's message and a FailedScheduling event, and is retried when nodes or pods change.
 */
export function scheduler(client: Client, informers: InformerFactory, log: Logger): Component {
  const nodes = informers.informer<Node>('v1', 'nodes');
  const pods = informers.informer<Pod>('v1', 'pods');
  const events = new EventRecorder(client, { component: schedulerName }, log);
  const volumes = volumeBinding(client, informers);
  const filters = [...defaultFilters, volumes.filter];
  const pending = new Set<string>();
  const unschedulable = new Set<string>();
  const assumed = new Map<string, { node: string; pod: Pod }>();
  let running = false;
  let stopped = false;
  let inflight = Promise.resolve();

  const wants = (p: Pod) => !p.spec?.nodeName && (p.spec?.schedulerName ?? schedulerName) === schedulerName && !p.metadata.deletionTimestamp
    && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !(p.spec?.schedulingGates?.length);
  const enqueue = (p: Pod) => {
    const key = keyOf(p);
    if (!wants(p)) {
      pending.delete(key);
      unschedulable.delete(key);
      if (p.spec?.nodeName) assumed.delete(key);
      return;
    }
    if (!assumed.has(key) && !unschedulable.has(key)) pending.add(key);
    kick();
  };
  // Something that may free room or add a node: give the unschedulable another chance.
  const retryAll = () => {
    for (const k of unschedulable) pending.add(k);
    unschedulable.clear();
    kick();
  };

  function nodeInfos(): NodeInfo[] {
    const byNode = new Map<string, Pod[]>();
    for (const p of pods.list()) {
      const n = p.spec?.nodeName;
      if (!n || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    for (const [key, a] of assumed) if (!pods.get(key)?.spec?.nodeName) byNode.set(a.node, [...(byNode.get(a.node) ?? []), a.pod]);
    return nodes.list().map((node) => ({ node, pods: byNode.get(node.metadata.name!) ?? [] }));
  }

  function kick(): void {
    if (running || stopped || !pending.size) return;
    running = true;
    queueMicrotask(() => {
      try {
        while (pending.size && !stopped) {
          const key = pending.values().next().value!;
          pending.delete(key);
          const pod = pods.get(key);
          if (pod && wants(pod)) scheduleOne(pod);
        }
      } finally {
        running = false;
      }
    });
  }

  function scheduleOne(pod: Pod): void {
    const infos = nodeInfos();
    const reasons = new Map<string, number>();
    // A pod-wide problem (upstream's PreFilter) is reported alone, without node counts.
    const unresolvable = volumes.preFilter(pod);
    let best: { info: NodeInfo; score: number } | undefined;
    for (const info of unresolvable ? [] : infos) {
      const failed = filters.map((f) => f(pod, info)).find((r) => r !== undefined);
      if (failed) {
        for (const r of failed) reasons.set(r, (reasons.get(r) ?? 0) + 1);
        continue;
      }
      const s = score(pod, info);
      if (!best || s > best.score) best = { info, score: s };
    }
    const key = keyOf(pod);
    if (!best) {
      unschedulable.add(key);
      // Upstream sorts the "<count> <reason>" strings themselves (Go's sort.Strings: byte order).
      const detail = unresolvable ?? [...reasons].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(', ');
      const message = `0/${infos.length} nodes are available${detail ? `: ${detail}` : ''}. preemption: 0/${infos.length} nodes are available: ${infos.length} Preemption is not helpful for scheduling.`;
      inflight = inflight.then(() => markUnschedulable(pod, message));
      return;
    }
    const node = best.info.node.metadata?.name ?? '';
    assumed.set(key, { node, pod });
    inflight = Promise.all([inflight, bind(pod, node)]).then(() => undefined);
  }

  async function bind(pod: Pod, node: string): Promise<void> {
    const key = keyOf(pod);
    try {
      await volumes.preBind(pod, node, () => stopped);
      await client.resource<Pod>('v1', 'pods').createSubresource(pod.metadata.namespace, pod.metadata.name!, 'binding', {
        apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node },
      } as KObject);
      events.record(pod, { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}` });
    } catch (err) {
      assumed.delete(key);
      if (isNotFound(err)) return;
      log.warn('binding failed; will retry', { pod: key, node, err: (err as Error).message });
      setTimeout(() => {
        const p = pods.get(key);
        if (p) enqueue(p);
      }, 1_000).unref();
    }
  }

  async function markUnschedulable(pod: Pod, message: string): Promise<void> {
    const prev = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (prev?.status === 'False' && prev.message === message) return;
    events.record(pod, { type: 'Warning', reason: 'FailedScheduling', message });
    const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    const others = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    try {
      await client.resource<Pod>('v1', 'pods').patch(pod.metadata.namespace, pod.metadata.name!, 'merge', { status: { conditions: [...others, condition] } }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) log.warn('could not record that a pod is unschedulable', { pod: keyOf(pod), err: (err as Error).message });
    }
  }

  return {
    name: 'scheduler',
    async start() {
      pods.onAdd(enqueue);
      pods.onUpdate((old, p) => {
        enqueue(p);
        if (old.spec?.nodeName && (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') && old.status?.phase !== p.status?.phase) retryAll();
      });
      pods.onDelete((p) => {
        pending.delete(keyOf(p));
        unschedulable.delete(keyOf(p));
        assumed.delete(keyOf(p));
        if (p.spec?.nodeName) retryAll();
      });
      nodes.onAdd(retryAll);
      nodes.onUpdate(retryAll);
      volumes.onChange(retryAll);
    },
    async stop() {
      stopped = true;
      await inflight;
    },
  };
}
