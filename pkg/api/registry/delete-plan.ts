import type { ResourceDef } from '../resource.ts';
import { conflict, invalid, type FieldError } from '../status.ts';
import type { DeleteOptions, KObject } from '../types/index.ts';
import { isCore, rfc3339, serverMeta } from './meta.ts';

/**
 * What one DELETE does to the current object, following apiserver's rest.BeforeDelete and
 * Store.Delete (kubectl-api.md §14):
 * - `delete`: remove it now (no finalizers, no grace period left).
 * - `update`: write deletionTimestamp/deletionGracePeriodSeconds/finalizers and keep it (the agent,
 *   the garbage collector or another finalizer owner completes the deletion).
 * - `pending`: a graceful deletion is already under way and this request does not shorten it.
 */
export type DeletePlan = { action: 'delete' } | { action: 'update'; obj: KObject } | { action: 'pending' };

const PROPAGATION = ['Foreground', 'Background', 'Orphan'];

/** ValidateDeleteOptions (422 on DeleteOptions.meta.k8s.io); returns whether this is a dry run. */
export function validateDeleteOptions(opts: DeleteOptions): boolean {
  const errs: FieldError[] = [];
  const policy = opts.propagationPolicy;
  if (opts.orphanDependents !== undefined && policy !== undefined) {
    errs.push({ type: 'FieldValueInvalid', field: 'propagationPolicy', message: `Invalid value: ${JSON.stringify(policy)}: orphanDependents and deletionPropagation cannot be both set` });
  }
  if (policy !== undefined && !PROPAGATION.includes(policy)) {
    errs.push({ type: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan", "nil"` });
  }
  const dryRun = opts.dryRun ?? [];
  if (dryRun.some((v) => v !== 'All')) {
    const list = `[]string{${dryRun.map((v) => JSON.stringify(v)).join(', ')}}`;
    errs.push({ type: 'FieldValueNotSupported', field: 'dryRun', message: `Unsupported value: ${list}: supported values: "All"` });
  }
  if (errs.length) throw invalid('meta.k8s.io', 'DeleteOptions', '', errs);
  return (opts.dryRun ?? []).includes('All');
}

/** Preconditions fail with 409; upstream names the Kind in this message ("Pod", "Deployment.apps"). */
export function checkPreconditions(def: ResourceDef, cur: KObject, pre: DeleteOptions['preconditions']): void {
  const r = { group: def.group, resource: def.kind };
  const name = cur.metadata.name ?? '';
  if (pre?.uid && pre.uid !== cur.metadata.uid) {
    throw conflict(r, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${cur.metadata.uid}). The object might have been deleted and then recreated`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
    throw conflict(r, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${cur.metadata.resourceVersion}). The object might have been modified`);
  }
}

/**
 * deletionFinalizersForGarbageCollection: `orphan` / `foregroundDeletion` as the options (or, without
 * an explicit policy, the finalizers already present) ask. Undefined when nothing changes.
 */
export function gcFinalizers(finalizers: readonly string[], opts: DeleteOptions): string[] | undefined {
  const policy = opts.propagationPolicy;
  let orphan: boolean;
  let foreground: boolean;
  if (opts.orphanDependents !== undefined) {
    orphan = opts.orphanDependents;
    foreground = false;
  } else if (policy) {
    orphan = policy === 'Orphan';
    foreground = policy === 'Foreground';
  } else {
    const first = finalizers.find((f) => f === 'orphan' || f === 'foregroundDeletion');
    orphan = first === 'orphan';
    foreground = first === 'foregroundDeletion';
  }
  const next = finalizers.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (orphan) next.push('orphan');
  if (foreground) next.push('foregroundDeletion');
  const same = new Set(next).size === new Set(finalizers).size && next.every((f) => finalizers.includes(f));
  return same ? undefined : next;
}

/**
 * Pods are the one kind with graceful deletion (pod strategy's CheckGracefulDelete): the grace
 * period comes from the options or spec.terminationGracePeriodSeconds (default 30), and is 0 for
 * a pod not bound to a node or already finished. Other kinds return undefined.
 */
function gracePeriod(def: ResourceDef, cur: KObject, opts: DeleteOptions): number | undefined {
  if (!isCore(def, 'pods')) return undefined;
  const spec = (cur.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (cur.status as { phase?: string } | undefined)?.phase;
  let period = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  if (period < 0) period = 1;
  if (!spec.nodeName || phase === 'Failed' || phase === 'Succeeded') period = 0;
  return period;
}

export function planDelete(def: ResourceDef, cur: KObject, opts: DeleteOptions, now: Date): DeletePlan {
  const obj = structuredClone(cur);
  const m = serverMeta(obj);
  let graceful = false;
  let period = 0;
  const supportsGrace = gracePeriod(def, cur, opts) !== undefined;
  if (supportsGrace && m.deletionTimestamp) {
    const current = m.deletionGracePeriodSeconds;
    if (current !== undefined && current !== null && current > 0) {
      // Only a shorter grace period may be given once deletion started.
      if (opts.gracePeriodSeconds === undefined) return { action: 'pending' };
      period = opts.gracePeriodSeconds < 0 ? 1 : opts.gracePeriodSeconds;
      if (period >= current) return { action: 'pending' };
      m.deletionTimestamp = rfc3339(new Date(Date.parse(m.deletionTimestamp) + (period - current) * 1000));
      m.deletionGracePeriodSeconds = period;
      graceful = true;
    }
  } else if (supportsGrace) {
    period = gracePeriod(def, cur, opts)!;
    m.deletionTimestamp = rfc3339(new Date(now.getTime() + period * 1000));
    m.deletionGracePeriodSeconds = period;
    if (m.generation) m.generation += 1;
    graceful = true;
  }
  const finalizers = gcFinalizers(m.finalizers ?? [], opts);
  if (finalizers) m.finalizers = finalizers;
  if (m.finalizers?.length === 0) delete m.finalizers;
  const pendingFinalizers = (m.finalizers?.length ?? 0) > 0;
  if (!graceful) {
    if (!pendingFinalizers) return { action: 'delete' };
    markAsDeleting(obj, now);
    return { action: 'update', obj };
  }
  return pendingFinalizers || period > 0 ? { action: 'update', obj } : { action: 'delete' };
}

/** Finalizers keep an object that cannot wait gracefully: deletionTimestamp = now, grace 0. */
export function markAsDeleting(obj: KObject, now: Date): void {
  const m = serverMeta(obj);
  if (!m.deletionTimestamp && m.generation) m.generation += 1;
  if (!m.deletionTimestamp || Date.parse(m.deletionTimestamp) > now.getTime()) m.deletionTimestamp = rfc3339(now);
  m.deletionGracePeriodSeconds = 0;
}

/**
 * Store.shouldDeleteDuringUpdate: a write that leaves no finalizers on an object whose deletion was
 * requested (and whose grace period is over, i.e. 0 or unset) removes it. Namespaces also wait
 * for spec.finalizers (the namespace controller empties them through `finalize`).
 */
export function shouldDeleteDuringUpdate(def: ResourceDef, obj: KObject, old: KObject): boolean {
  if ((obj.metadata.finalizers?.length ?? 0) > 0 || !old.metadata.deletionTimestamp) return false;
  const grace = old.metadata.deletionGracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace !== 0) return false;
  if (isCore(def, 'namespaces')) return ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers?.length ?? 0) === 0;
  return true;
}
