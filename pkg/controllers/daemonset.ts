import { keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { apps, core, KObject } from '../api/types/index.ts';
import { nodeAffinity, taintToleration } from '../scheduler/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { daemonHashLabel, syncDaemonHistory } from './daemonset-history.ts';
import { templateHash } from './deployment-math.ts';
import { podIsAvailable, podIsReady } from './pod-state.ts';
import { controllerLoop, controllerOf, Expectations, WorkQueue } from './runtime/index.ts';
import type { Revision } from './statefulset-revisions.ts';

type DaemonSet = apps.DaemonSet & KObject;
type Node = core.Node & KObject;
type Pod = core.Pod & KObject;

const hashLabel = daemonHashLabel;

/** What upstream's DaemonSet controller adds to every daemon pod so it survives node trouble. */
const daemonTolerations: core.Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

const nodeOf = (p: Pod) => p.spec?.nodeName ?? p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];

/**
 * The DaemonSet controller: one pod per eligible node (node selector, affinity and taints against
 * the template plus the daemon tolerations), pinned with a metadata.name node affinity as upstream
 * does and placed by the scheduler; pods on nodes that stopped qualifying are removed; a changed
 * template rolls out node by node within maxUnavailable (RollingUpdate) or waits for deletions
 * (OnDelete). Status counts as upstream; ControllerRevisions keep the history (daemonset-history.ts).
 */
export function daemonSetController(client: Client, informers: InformerFactory, log: Logger, now: () => number = Date.now): Component {
  const sets = informers.informer<DaemonSet>('apps/v1', 'daemonsets');
  const nodes = informers.informer<Node>('v1', 'nodes');
  const pods = informers.informer<Pod>('v1', 'pods');
  const revisions = informers.informer<Revision>('apps/v1', 'controllerrevisions');
  const queue = new WorkQueue();
  const expectations = new Expectations(now);
  const podClient = client.resource<Pod>('v1', 'pods');

  const eligible = (ds: DaemonSet, node: Node) => {
    const probe = { metadata: {}, spec: { ...ds.spec?.template?.spec, tolerations: [...(ds.spec?.template?.spec?.tolerations ?? []), ...daemonTolerations] } } as core.Pod;
    return !taintToleration(probe, { node }) && !nodeAffinity(probe, { node });
  };

  async function reconcile(key: string): Promise<void> {
    const ds = sets.get(key);
    if (!ds) return expectations.delete(key);
    if (ds.metadata.deletionTimestamp) return;
    const hash = templateHash(ds.spec?.template);
    const owned = pods.byIndex('namespace', ds.metadata.namespace ?? '').filter((p) => controllerOf(p)?.uid === ds.metadata.uid && !p.metadata.deletionTimestamp);
    await syncDaemonHistory(client, revisions, ds, hash, new Set(owned.map((p) => p.metadata.labels?.[hashLabel] ?? '').filter(Boolean)));
    const byNode = new Map<string, Pod[]>();
    for (const p of owned) {
      const n = nodeOf(p) ?? '';
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const wanted = nodes.list().filter((n) => eligible(ds, n)).map((n) => n.metadata.name!);
    if (expectations.satisfied(key)) {
      const creates: string[] = wanted.filter((n) => !byNode.has(n));
      const deletes: Pod[] = [];
      for (const [n, list] of byNode) {
        if (!wanted.includes(n)) deletes.push(...list);
        else deletes.push(...list.sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '')).slice(1));
      }
      // RollingUpdate: replace old-template pods while unavailability stays within maxUnavailable.
      if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        const maxUnavailable = Number(String(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1).replace('%', '')) || 1;
        const unavailable = wanted.filter((n) => !(byNode.get(n) ?? []).some((p) => podIsAvailable(p, ds.spec?.minReadySeconds ?? 0, now()))).length;
        let budget = maxUnavailable - unavailable;
        for (const n of wanted) {
          const p = byNode.get(n)?.[0];
          if (budget <= 0) break;
          if (p && p.metadata.labels?.[hashLabel] !== hash && !deletes.includes(p)) {
            deletes.push(p);
            budget--;
          }
        }
      }
      expectations.expect(key, creates.length, deletes.length);
      for (const n of creates) {
        await podClient.create(ds.metadata.namespace, podFor(ds, n, hash)).catch((err: unknown) => {
          expectations.lowerAdds(key);
          throw err;
        });
      }
      for (const p of deletes) {
        await podClient.delete(p.metadata.namespace, p.metadata.name!, {}).catch((err: unknown) => {
          expectations.lowerDels(key);
          if (!isNotFound(err)) throw err;
        });
      }
    }
    const scheduled = wanted.filter((n) => byNode.has(n));
    const current = (n: string) => byNode.get(n)?.[0];
    const status: apps.DaemonSetStatus = {
      desiredNumberScheduled: wanted.length,
      currentNumberScheduled: scheduled.length,
      numberMisscheduled: [...byNode.keys()].filter((n) => n && !wanted.includes(n)).length,
      numberReady: scheduled.filter((n) => podIsReady(current(n)!)).length,
      numberAvailable: scheduled.filter((n) => podIsAvailable(current(n)!, ds.spec?.minReadySeconds ?? 0, now())).length,
      numberUnavailable: wanted.length - scheduled.filter((n) => podIsAvailable(current(n)!, ds.spec?.minReadySeconds ?? 0, now())).length,
      updatedNumberScheduled: scheduled.filter((n) => current(n)!.metadata.labels?.[hashLabel] === hash).length,
      observedGeneration: ds.metadata.generation,
    };
    const cur = (ds.status ?? {}) as Record<string, unknown>;
    if ((Object.keys(status) as (keyof typeof status)[]).some((k) => (cur[k] ?? 0) !== (status[k] ?? 0))) {
      await client.resource<DaemonSet>('apps/v1', 'daemonsets').patch(ds.metadata.namespace, ds.metadata.name!, 'merge', { status }, { subresource: 'status' });
    }
  }

  const loop = controllerLoop('daemonset', queue, reconcile, log);
  const all = () => sets.list().forEach((d) => queue.add(keyOf(d)));
  const byOwner = (p: Pod) => {
    const o = controllerOf(p);
    if (o?.kind === 'DaemonSet') queue.add(`${p.metadata.namespace}/${o.name}`);
  };
  return {
    name: 'daemonset',
    async start(signal) {
      sets.onAdd((d) => queue.add(keyOf(d)));
      sets.onUpdate((_o, d) => queue.add(keyOf(d)));
      sets.onDelete((d) => expectations.delete(keyOf(d)));
      nodes.onAdd(all);
      nodes.onUpdate((o, n) => {
        if (JSON.stringify([o.metadata.labels, o.spec?.taints]) !== JSON.stringify([n.metadata.labels, n.spec?.taints])) all();
      });
      nodes.onDelete(all);
      pods.onAdd((p) => {
        const o = controllerOf(p);
        if (o?.kind === 'DaemonSet') expectations.observedAdd(`${p.metadata.namespace}/${o.name}`);
        byOwner(p);
      });
      pods.onUpdate((o, p) => {
        // A graceful delete shows as deletionTimestamp long before the object goes: that is the
        // deletion the expectations wait for (as upstream's updatePod).
        const owner = controllerOf(p);
        if (owner?.kind === 'DaemonSet' && p.metadata.deletionTimestamp && !o.metadata.deletionTimestamp) expectations.observedDel(`${p.metadata.namespace}/${owner.name}`);
        byOwner(p);
      });
      pods.onDelete((p) => {
        const o = controllerOf(p);
        if (o?.kind === 'DaemonSet') expectations.observedDel(`${p.metadata.namespace}/${o.name}`);
        byOwner(p);
      });
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}

function podFor(ds: DaemonSet, node: string, hash: string): Pod {
  const t = ds.spec!.template;
  const spec = structuredClone(t.spec!) as core.PodSpec;
  spec.tolerations = [...(spec.tolerations ?? []), ...daemonTolerations.filter((d) => !(spec.tolerations ?? []).some((x) => x.key === d.key && x.effect === d.effect))];
  // Pinned to its node by affinity; the scheduler binds it (upstream since 1.12).
  spec.affinity = { ...spec.affinity, nodeAffinity: { ...spec.affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...t.metadata?.labels, [hashLabel]: hash },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name!, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}
