import { EventRecorder, keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { PriorityQueue } from './queue.ts';
import { SchedulerCache } from './cache.ts';
import { nodeReady, nodeUnschedulable } from './filters.ts';
import { filterPlugin, Framework, type Plugin } from './framework.ts';
import { interPodAffinity } from './inter-pod-affinity.ts';
import { controllerSpreadScore, nodeAffinityPlugin, nodePortsPlugin, nodeResources, taintPlugin } from './plugins.ts';
import { topologySpread } from './topology-spread.ts';
import { volumeBinding, type VolumeBinding } from './volume-binding.ts';

type Pod = core.Pod & KObject;
type Node = core.Node & KObject;
type Namespace = core.Namespace & KObject;

export const schedulerName = 'default-scheduler';

/**
 * Upstream's default filter order (the plugins skiff implements); a node is reported under the
 * first that rejects it. Upstream has no Ready filter (the node lifecycle controller taints
 * not-ready nodes instead); nodeReady stands in right after the taints for nodes that report
 * NotReady before they are tainted.
 */
function plugins(cache: SchedulerCache, volumes: VolumeBinding, namespaces: () => Namespace[]): Plugin[] {
  const volumePlugin: Plugin = {
    name: 'VolumeBinding',
    prepare(pod) {
      if (!pod.spec?.volumes?.some((v) => v.persistentVolumeClaim)) return undefined;
      return volumes.preFilter(pod) ?? { filter: (n) => volumes.filter(pod, n) };
    },
  };
  const nsLabels = () => namespaces().map((n) => ({ name: n.metadata.name!, labels: n.metadata.labels ?? {} }));
  return [
    filterPlugin('NodeUnschedulable', nodeUnschedulable), taintPlugin, filterPlugin('NodeReady', nodeReady), nodeAffinityPlugin,
    nodePortsPlugin, nodeResources, volumePlugin, topologySpread, interPodAffinity(cache, nsLabels), controllerSpreadScore,
  ];
}

/**
 * Places unscheduled pods (DESIGN.md §5): filter the nodes, score those left, bind through
 * pods/binding. Decisions are made one at a time against the scheduler's cache — the informers'
 * view plus the pods it has just placed ("assumed", as upstream) — while the binding calls run
 * concurrently, so throughput is not one API round trip per pod. A pod that fits nowhere gets
 * PodScheduled=False with upstream's message and a FailedScheduling event, and is retried when
 * nodes or pods change.
 */
export function scheduler(client: Client, informers: InformerFactory, log: Logger): Component {
  const nodes = informers.informer<Node>('v1', 'nodes');
  const pods = informers.informer<Pod>('v1', 'pods');
  const namespaces = informers.informer<Namespace>('v1', 'namespaces');
  const events = new EventRecorder(client, { component: schedulerName }, log);
  const volumes = volumeBinding(client, informers);
  const cache = new SchedulerCache();
  const framework = new Framework(plugins(cache, volumes, () => namespaces.list()));
  const pending = new PriorityQueue();
  const priorityOf = (p: Pod | undefined) => (typeof p?.spec?.priority === 'number' ? p.spec.priority : 0);
  const unschedulable = new Set<string>();
  let running = false;
  let stopped = false;
  // Bindings and status writes under way. Capped, so a burst of decisions neither floods the
  // store with one huge commit (whose watch events would overrun slow watchers) nor keeps the
  // event loop busy deciding while nothing is written.
  const inflight = new Set<Promise<void>>();
  const maxInflight = 100;
  const track = (p: Promise<void>) => {
    inflight.add(p);
    const done = () => {
      inflight.delete(p);
      kick();
    };
    p.then(done, done);
  };

  const wants = (p: Pod) => !p.spec?.nodeName && (p.spec?.schedulerName ?? schedulerName) === schedulerName && !p.metadata.deletionTimestamp
    && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !(p.spec?.schedulingGates?.length);
  const enqueue = (p: Pod) => {
    const key = keyOf(p);
    if (!wants(p)) {
      pending.delete(key);
      unschedulable.delete(key);
      return;
    }
    if (!cache.isAssumed(key) && !unschedulable.has(key)) pending.add(key, priorityOf(p));
    kick();
  };
  // Something that may free room or add a node: give the unschedulable another chance.
  const retryAll = () => {
    for (const k of unschedulable) pending.add(k, priorityOf(pods.get(k)));
    unschedulable.clear();
    kick();
  };

  function kick(): void {
    if (running || stopped || !pending.size || inflight.size >= maxInflight) return;
    running = true;
    queueMicrotask(() => {
      try {
        while (pending.size && !stopped && inflight.size < maxInflight) {
          const key = pending.pop()!;
          const pod = pods.get(key);
          if (!pod || !wants(pod)) continue;
          try {
            scheduleOne(pod);
          } catch (err) {
            // A pod the API should have refused (a field of the wrong shape) must not stop the
            // scheduler: park it until something changes, like an unschedulable pod.
            unschedulable.add(key);
            log.error('cannot schedule pod', { pod: key, err: (err as Error).message });
          }
        }
      } finally {
        running = false;
      }
    });
  }

  function scheduleOne(pod: Pod): void {
    const infos = cache.nodes();
    const decision = framework.decide(pod, infos);
    const key = keyOf(pod);
    if (!('node' in decision)) {
      unschedulable.add(key);
      // A pod-wide problem (upstream's PreFilter) is reported alone, without node counts.
      // Upstream sorts the "<count> <reason>" strings themselves (Go's sort.Strings: byte order).
      const detail = 'unresolvable' in decision ? decision.unresolvable
        : [...decision.reasons].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(', ');
      const message = `0/${infos.length} nodes are available${detail ? `: ${detail}` : ''}. preemption: 0/${infos.length} nodes are available: ${infos.length} Preemption is not helpful for scheduling.`;
      track(markUnschedulable(pod, message));
      return;
    }
    const node = decision.node.node.metadata?.name ?? '';
    cache.assume(key, pod, node);
    track(bind(pod, node));
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
      cache.forget(key);
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
      nodes.onAdd((n) => {
        cache.setNode(n);
        retryAll();
      });
      nodes.onUpdate((_, n) => {
        cache.setNode(n);
        retryAll();
      });
      nodes.onDelete((n) => cache.removeNode(n.metadata.name!));
      pods.onAdd((p) => {
        cache.updatePod(keyOf(p), p);
        enqueue(p);
      });
      pods.onUpdate((old, p) => {
        cache.updatePod(keyOf(p), p);
        enqueue(p);
        if (old.spec?.nodeName && (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') && old.status?.phase !== p.status?.phase) retryAll();
      });
      pods.onDelete((p) => {
        const key = keyOf(p);
        pending.delete(key);
        unschedulable.delete(key);
        cache.forget(key);
        if (p.spec?.nodeName) retryAll();
      });
      volumes.onChange(retryAll);
    },
    async stop() {
      stopped = true;
      await Promise.all(inflight);
    },
  };
}
