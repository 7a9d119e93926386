import type { WriteResult } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { badRequest, forbidden, internalError, isConflict, tooManyRequests, type StatusError } from '../status.ts';
import type { DeleteOptions, KObject } from '../types/index.ts';
import { decode } from './codec.ts';
import type { RegistryContext } from './context.ts';
import { checkPreconditions } from './delete-plan.ts';
import { deleteObject } from './delete.ts';
import { readCurrent } from './get.ts';
import { guaranteedUpdate } from './guaranteed-update.ts';
import { listObjects } from './list.ts';
import { rfc3339 } from './meta.ts';
import { statusSuccess } from './pod-binding.ts';
import { matchesLabels, selectorObjectRequirements, type LabelSelectorObject } from './selectors.ts';
import { bodyCopy, checkBodyNamespace, checkTypeMeta } from './strategy.ts';

interface Pdb extends KObject {
  spec?: { selector?: LabelSelectorObject; unhealthyPodEvictionPolicy?: string };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; observedGeneration?: number; disruptedPods?: Record<string, string> };
}

const VIOLATES = "Cannot evict pod as it would violate the pod's disruption budget.";

/**
 * POST pods/{name}/eviction (drain), after EvictionREST: a pod that is finished, pending or
 * already being deleted is deleted directly; otherwise the one PodDisruptionBudget selecting it
 * must allow a disruption (then its disruptionsAllowed is decremented and the pod recorded in
 * disruptedPods), else 429 — drain retries. More than one PDB is a 500, as upstream. The pod gets
 * the DisruptionTarget condition before it is deleted with the eviction's DeleteOptions.
 */
export async function evictPod(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, name: string, raw: unknown, dryRun: boolean): Promise<WriteResult> {
  const eviction = bodyCopy(raw);
  checkTypeMeta({ group: 'policy', version: 'v1', kind: 'Eviction' }, eviction);
  if (eviction.metadata.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  checkBodyNamespace(def, eviction, namespace);
  const options: DeleteOptions = { ...((eviction.deleteOptions as DeleteOptions | undefined) ?? {}) };
  if (dryRun) options.dryRun = ['All'];

  const userRv = options.preconditions?.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    try {
      await evictOnce(ctx, def, namespace, name, options, dryRun);
      return { object: statusSuccess(), created: true };
    } catch (err) {
      // As upstream: conflicts with other writers of the pod are retried unless the caller pinned a resourceVersion.
      if (!isConflict(err) || userRv || attempt >= EVICTION_ATTEMPTS) throw err;
    }
  }
}

const EVICTION_ATTEMPTS = 5;

async function evictOnce(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, name: string, given: DeleteOptions, dryRun: boolean): Promise<void> {
  const options = structuredClone(given);
  const { kv } = await readCurrent(ctx, def, namespace, name);
  const pod = decode(def, kv.value, kv.modRevision);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!(phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp)) {
    const pdbs = await disruptionBudgets(ctx, pod);
    if (pdbs.length > 1) throw internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (pdbs.length === 1 && !unhealthyMayGo(pod, pdbs[0])) await takeDisruption(ctx, pdbs[0], name, dryRun);
    // The pod must still be the one the budget was checked against.
    options.preconditions = { resourceVersion: pod.metadata.resourceVersion, ...options.preconditions };
  }
  if (!dryRun) {
    const rv = await markDisruptionTarget(ctx, def, namespace, name, options.preconditions);
    if (options.preconditions?.resourceVersion) options.preconditions = { ...options.preconditions, resourceVersion: rv };
  }
  await deleteObject(ctx, def, namespace, name, options);
}

async function disruptionBudgets(ctx: RegistryContext, pod: KObject): Promise<Pdb[]> {
  const pdbDef = ctx.resources.find((d) => d.group === 'policy' && d.plural === 'poddisruptionbudgets');
  if (!pdbDef) return [];
  const list = await listObjects(ctx, pdbDef, pod.metadata.namespace, {});
  return (list.items as Pdb[]).filter((pdb) => {
    const sel = pdb.spec?.selector;
    // A nil or empty selector matches nothing here (unlike in a list), as upstream.
    if (!sel || (!sel.matchLabels && !sel.matchExpressions?.length && Object.keys(sel).length === 0)) return false;
    try {
      const reqs = selectorObjectRequirements(sel);
      return reqs.length > 0 && matchesLabels(reqs, pod.metadata.labels);
    } catch {
      return false;
    }
  });
}

/** An unready pod may go without using the budget when the application is not disrupted. */
function unhealthyMayGo(pod: KObject, pdb: Pdb): boolean {
  const conditions = (pod.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  if (conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return false;
  if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const s = pdb.status ?? {};
  return (s.desiredHealthy ?? 0) > 0 && (s.currentHealthy ?? 0) >= (s.desiredHealthy ?? 0);
}

async function takeDisruption(ctx: RegistryContext, pdb: Pdb, podName: string, dryRun: boolean): Promise<void> {
  const pdbDef = ctx.resources.find((d) => d.group === 'policy' && d.plural === 'poddisruptionbudgets')!;
  const name = pdb.metadata.name!;
  const { key, kv } = await readCurrent(ctx, pdbDef, pdb.metadata.namespace, name);
  await guaranteedUpdate(
    ctx,
    pdbDef,
    key,
    name,
    kv,
    (cur) => {
      const c = cur as Pdb;
      const s = c.status ?? {};
      if ((s.observedGeneration ?? 0) < (c.metadata.generation ?? 0)) throw budgetError(tooManyRequests(VIOLATES, 10), `The disruption budget ${name} is still being processed by the server.`);
      if ((s.disruptionsAllowed ?? 0) < 0) throw forbidden(`poddisruptionbudget.policy "${name}" is forbidden: pdb disruptions allowed is negative`);
      if ((s.disruptionsAllowed ?? 0) === 0) {
        throw budgetError(tooManyRequests(VIOLATES, 0), `The disruption budget ${name} needs ${s.desiredHealthy ?? 0} healthy pods and has ${s.currentHealthy ?? 0} currently`);
      }
      const next = structuredClone(c);
      next.status = { ...s, disruptionsAllowed: (s.disruptionsAllowed ?? 0) - 1, disruptedPods: { ...s.disruptedPods, [podName]: rfc3339(ctx.now()) } };
      return { obj: next };
    },
    dryRun,
  );
}

function budgetError(err: StatusError, message: string): StatusError {
  err.status.details = { ...err.status.details, causes: [{ reason: 'DisruptionBudget', message }] };
  return err;
}

/** Adds the DisruptionTarget condition; returns the pod's new resourceVersion (preconditions checked first). */
async function markDisruptionTarget(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, name: string, pre: DeleteOptions['preconditions']): Promise<string | undefined> {
  const { key, kv } = await readCurrent(ctx, def, namespace, name);
  const updated = await guaranteedUpdate(
    ctx,
    def,
    key,
    name,
    kv,
    (cur) => {
      checkPreconditions(def, cur, pre);
      const next = structuredClone(cur);
      const status = { ...(next.status as { conditions?: Array<Record<string, unknown>> } | undefined) };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
      conditions.push({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.now()), reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
      next.status = { ...status, conditions };
      return { obj: next };
    },
    false,
  );
  return updated.metadata.resourceVersion;
}
