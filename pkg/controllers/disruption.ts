import { EventRecorder, keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isConflict, isNotFound } from '../api/status.ts';
import type { KObject, policy } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { canonical } from './deployment-math.ts';
import { expectedPodCount, type ScaleSources } from './disruption-math.ts';
import { staleDisruptionCleanup } from './disruption-stale.ts';
import { controllerLoop, selectorMatches, WorkQueue } from './runtime/index.ts';

type Pdb = policy.PodDisruptionBudget & KObject;
type Pod = KObject & { status?: { conditions?: { type: string; status: string }[] } };
type Condition = { type: string; status: string; reason: string; message: string; observedGeneration?: number; lastTransitionTime: string };

/** How long a pod the eviction API let go may stay undeleted before it counts again (upstream's DeletionTimeout). */
export const disruptionDeletionTimeoutMs = 2 * 60_000;

const podReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const stamp = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export interface DisruptionOptions {
  now?: () => number;
}

/**
 * The disruption controller: keeps each PodDisruptionBudget's status (currentHealthy,
 * desiredHealthy, expectedPods, disruptionsAllowed, observedGeneration, the DisruptionAllowed
 * condition) true to its pods and their controllers' scale, which the eviction subresource
 * relies on. Pods the eviction API let go (status.disruptedPods) do not count as healthy until
 * deleted, or until the deletion timeout passes without it. A budget whose status cannot be
 * computed fails safe: no disruptions allowed, reason SyncFailed. Stale DisruptionTarget
 * conditions of pods that were never deleted are cleared (disruption-stale.ts).
 */
export function disruptionController(client: Client, informers: InformerFactory, log: Logger, opts: DisruptionOptions = {}): Component {
  const now = opts.now ?? Date.now;
  const pdbs = informers.informer<Pdb>('policy/v1', 'poddisruptionbudgets');
  const pods = informers.informer<Pod>('v1', 'pods');
  const get = (inf: { get(k: string): KObject | undefined }) => (ns: string, name: string) => inf.get(`${ns}/${name}`);
  const owners = {
    rs: informers.informer('apps/v1', 'replicasets'),
    deploy: informers.informer('apps/v1', 'deployments'),
    sts: informers.informer('apps/v1', 'statefulsets'),
  };
  // skiff serves no ReplicationControllers, so a pod can have none as its controller.
  const scales: ScaleSources = { replicaSet: get(owners.rs), deployment: get(owners.deploy), statefulSet: get(owners.sts), replicationController: () => undefined };
  const events = new EventRecorder(client, { component: 'controllermanager' }, log, now);
  const queue = new WorkQueue();
  const asPdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' };

  const selected = (pdb: Pdb) => {
    const sel = pdb.spec?.selector;
    return sel ? pods.byIndex('namespace', pdb.metadata.namespace ?? '').filter((p) => selectorMatches(sel, p.metadata.labels)) : [];
  };

  async function reconcile(key: string): Promise<number | void> {
    const pdb = pdbs.get(key);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const t = now();
    const matching = selected(pdb);
    if (!matching.length) events.record(pdb, { type: 'Normal', reason: 'NoPods', message: 'No matching pods found' }, undefined, asPdb);
    let counts: ReturnType<typeof expectedPodCount>;
    try {
      counts = expectedPodCount(pdb.spec ?? {}, matching, scales);
    } catch (err) {
      const message = (err as Error).message;
      events.record(pdb, { type: 'Warning', reason: 'CalculateExpectedPodCountFailed', message: `Failed to calculate the number of expected pods: ${message}` }, undefined, asPdb);
      const failSafe = { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...pdb.status, disruptionsAllowed: 0, observedGeneration: pdb.metadata.generation };
      await writeStatus(pdb, failSafe, 'SyncFailed', message, t);
      throw err;
    }
    if (counts.unmanaged.length) {
      events.record(pdb, { type: 'Warning', reason: 'UnmanagedPods', message: `Pods selected by this PodDisruptionBudget (selector: ${selectorText(pdb)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.` }, undefined, asPdb);
    }

    // buildDisruptedPodMap: keep entries for live pods still within the deletion timeout.
    const disrupted: Record<string, string> = {};
    let recheck: number | undefined;
    for (const p of matching) {
      const at = pdb.status?.disruptedPods?.[p.metadata.name!];
      if (p.metadata.deletionTimestamp || !at) continue;
      const deadline = Date.parse(at) + disruptionDeletionTimeoutMs;
      if (deadline < t) {
        events.record(p, { type: 'Warning', reason: 'NotDeleted', message: `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.name} to be deleted but it wasn't` });
        continue;
      }
      disrupted[p.metadata.name!] = at;
      recheck = Math.min(recheck ?? Infinity, deadline - t);
    }
    const currentHealthy = matching.filter((p) => !p.metadata.deletionTimestamp && !disrupted[p.metadata.name!] && podReady(p)).length;
    // A budget that selects nothing yet allows nothing, so its first pods are safe before the next pass.
    const allowed = counts.expected > 0 ? Math.max(0, currentHealthy - counts.desiredHealthy) : 0;
    const status: policy.PodDisruptionBudgetStatus = {
      currentHealthy, desiredHealthy: counts.desiredHealthy, expectedPods: counts.expected, disruptionsAllowed: allowed,
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}), observedGeneration: pdb.metadata.generation,
    };
    await writeStatus(pdb, status, allowed > 0 ? 'SufficientPods' : 'InsufficientPods', '', t);
    return recheck === undefined ? undefined : recheck + 1;
  }

  /** Writes `status` with the DisruptionAllowed condition (transition time kept unless its status flips); no write when nothing changed. */
  async function writeStatus(pdb: Pdb, status: policy.PodDisruptionBudgetStatus, reason: string, message: string, t: number): Promise<void> {
    const { conditions: _old, ...rest } = status;
    const previous = (pdb.status?.conditions ?? []) as Condition[];
    const cur = previous.find((c) => c.type === 'DisruptionAllowed');
    const condStatus = reason === 'SufficientPods' ? 'True' : 'False';
    const cond: Condition = {
      type: 'DisruptionAllowed', status: condStatus, reason, message, observedGeneration: status.observedGeneration,
      lastTransitionTime: cur && cur.status === condStatus ? cur.lastTransitionTime : stamp(t),
    };
    const next = { ...rest, conditions: [...previous.filter((c) => c.type !== 'DisruptionAllowed'), cond] };
    if (canonical(next) === canonical(pdb.status ?? {})) return;
    try {
      await client.resource<Pdb>('policy/v1', 'poddisruptionbudgets').updateStatus(pdb.metadata.namespace, { ...pdb, status: next as policy.PodDisruptionBudgetStatus });
    } catch (err) {
      // A stale cache (e.g. the eviction API just wrote) is retried with the newer object.
      if (isNotFound(err)) return;
      if (isConflict(err)) throw new Error(`poddisruptionbudget ${keyOf(pdb)} changed meanwhile; retrying`);
      throw err;
    }
  }

  const pdbKeysFor = (p: Pod) => pdbs.byIndex('namespace', p.metadata.namespace ?? '').filter((b) => b.spec?.selector && selectorMatches(b.spec.selector, p.metadata.labels)).map(keyOf);
  const namespaceKeys = (o: KObject) => pdbs.byIndex('namespace', o.metadata.namespace ?? '').map(keyOf);
  const loop = controllerLoop('disruption', queue, reconcile, log);
  const stale = staleDisruptionCleanup(client, pods, log, now);
  return {
    name: 'disruption',
    async start(signal) {
      pdbs.onAdd((b) => queue.add(keyOf(b)));
      pdbs.onUpdate((_o, b) => queue.add(keyOf(b)));
      pods.onAdd((p) => pdbKeysFor(p).forEach((k) => queue.add(k)));
      pods.onUpdate((o, p) => new Set([...pdbKeysFor(o), ...pdbKeysFor(p)]).forEach((k) => queue.add(k)));
      pods.onDelete((p) => pdbKeysFor(p).forEach((k) => queue.add(k)));
      // A controller's scale is the denominator of percentages and maxUnavailable.
      for (const inf of Object.values(owners)) {
        inf.onAdd((o) => namespaceKeys(o).forEach((k) => queue.add(k)));
        inf.onUpdate((_o, o) => namespaceKeys(o).forEach((k) => queue.add(k)));
        inf.onDelete((o) => namespaceKeys(o).forEach((k) => queue.add(k)));
      }
      await loop.start(signal);
      await stale.start(signal);
    },
    async stop() {
      await stale.stop!();
      await loop.stop!();
    },
  };
}

/** metav1.LabelSelector printed as Go's %v does for the event text. */
function selectorText(pdb: Pdb): string {
  const s = pdb.spec?.selector ?? {};
  const labels = Object.entries(s.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}:${v}`).join(' ');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{},}`;
}
