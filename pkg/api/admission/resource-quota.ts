import { addQuantity, cmpQuantity, formatQuantity, subQuantity } from '../quantity-exact.ts';
import { admissionForbidden, type AdmissionPlugin, type AdmissionRequest, type AdmissionServices } from '../registry/admission.ts';
import type { KObject } from '../types/index.ts';
import { kindCharges, quotaSelects, usageOf, type QuotaSpec } from './quota-usage.ts';
import { parseList, type Resources } from './resource-lists.ts';

type Quota = KObject & { spec?: QuotaSpec; status?: { hard?: Record<string, unknown>; used?: Record<string, unknown> } };
type Container = { name?: string; resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } };

// Quotas on these make every container state its own value (a historical rule upstream keeps).
const mustSpecify = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

const names = (r: Resources) => [...r.keys()].sort();
const pretty = (r: Resources) => names(r).map((k) => `${k}=${formatQuantity(r.get(k)!)}`).join(',');
const mask = (r: Resources, keep: Iterable<string>) => {
  const set = new Set(keep);
  return new Map([...r].filter(([k]) => set.has(k)));
};
const withoutZeros = (r: Resources) => new Map([...r].filter(([, q]) => q.nanos !== 0n));

/** The pod evaluator's Constraints: which quota-restricted resources a container leaves unstated. */
function missingContainerValues(pod: KObject, restricted: string[]): string | undefined {
  const required = restricted.filter((r) => mustSpecify.includes(r));
  if (!required.length) return undefined;
  const missing = new Map<string, Set<string>>();
  const spec = pod.spec as { containers?: Container[]; initContainers?: Container[] } | undefined;
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    const req = parseList(c?.resources?.requests);
    const lim = parseList(c?.resources?.limits);
    const has = new Set<string>();
    for (const r of ['cpu', 'memory']) {
      if (req.has(r)) has.add(r).add(`requests.${r}`);
      if (lim.has(r)) has.add(`limits.${r}`);
    }
    for (const r of required) if (!has.has(r)) missing.set(r, (missing.get(r) ?? new Set()).add(c?.name ?? ''));
  }
  if (!missing.size) return undefined;
  return `must specify ${[...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`).join('; ')}`;
}

/** The usage a write adds: the new object's, less the old one's for an update (never below zero), zeros dropped. */
function deltaOf(req: AdmissionRequest, now: number): Resources {
  const { group, plural } = req.def;
  const delta = usageOf(group, plural, req.obj, now);
  if (req.old) {
    const prev = usageOf(group, plural, req.old, now);
    for (const [k, q] of delta) {
      const p = prev.get(k);
      if (!p) continue;
      const d = subQuantity(q, p);
      delta.set(k, d.nanos < 0n ? { nanos: 0n, format: q.format } : d);
    }
  }
  return withoutZeros(delta);
}

/**
 * One quota's verdict on a delta: throws 403 when the quota would be exceeded (upstream's
 * `exceeded quota: …` with the offending resources only); else the quota's next status.used.
 */
function charge(req: AdmissionRequest, quota: Quota, delta: Resources): Resources | undefined {
  const hard = parseList(quota.status?.hard);
  const used = parseList(quota.status?.used);
  const requested = mask(delta, hard.keys());
  if (!requested.size) return undefined;
  const next: Resources = new Map(used);
  for (const [k, q] of requested) next.set(k, next.has(k) ? addQuantity(next.get(k)!, q) : q);
  const exceeded = [...requested.keys()].filter((k) => cmpQuantity(next.get(k)!, hard.get(k)!) > 0);
  if (exceeded.length) {
    throw admissionForbidden(req, `exceeded quota: ${quota.metadata.name}, requested: ${pretty(mask(requested, exceeded))}, used: ${pretty(mask(used, exceeded))}, limited: ${pretty(mask(hard, exceeded))}`);
  }
  return next;
}

/** The quotas of the namespace that restrict this write, checked for constraints and usage stats. */
function interestingQuotas(req: AdmissionRequest, quotas: Quota[]): Quota[] {
  const { group, plural } = req.def;
  const out: Quota[] = [];
  for (const q of quotas.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const hard = Object.keys(q.status?.hard ?? {});
    const restricted = hard.filter((r) => kindCharges(group, plural, r)).sort();
    if (!restricted.length || !quotaSelects(q.spec ?? {}, group, plural, req.obj)) continue;
    if (group === '' && plural === 'pods') {
      const missing = missingContainerValues(req.obj, restricted);
      if (missing) throw admissionForbidden(req, `failed quota: ${q.metadata.name}: ${missing}`);
    }
    if (restricted.some((r) => q.status?.used?.[r] === undefined)) throw admissionForbidden(req, `status unknown for quota: ${q.metadata.name}, resources: ${restricted.join(',')}`);
    out.push(q);
  }
  return out;
}

const toStatusList = (r: Resources) => Object.fromEntries(names(r).map((k) => [k, formatQuantity(r.get(k)!)]));

async function admitQuota(req: AdmissionRequest, svc: AdmissionServices): Promise<void> {
  const quotas = interestingQuotas(req, (await svc.list('', 'resourcequotas', req.namespace!)) as Quota[]);
  if (!quotas.length) return;
  const delta = deltaOf(req, svc.now().getTime());
  if (!delta.size) return;
  // Check every quota first, so a refusal charges none of them.
  for (const q of quotas) charge(req, q, delta);
  if (req.dryRun) return;
  for (const q of quotas) {
    await svc.update('', 'resourcequotas', req.namespace!, q.metadata.name!, (cur) => {
      const next = charge(req, cur as Quota, delta);
      return next ? { ...cur, status: { ...(cur.status as object), used: toStatusList(next) } } : undefined;
    });
  }
}

/**
 * ResourceQuota (last in the chain, as upstream): a write that would take any matching quota of
 * its namespace past status.hard is refused with 403 and upstream's message; an admitted one is
 * charged to status.used at once (compare-and-swap, so racing writes cannot both slip under a
 * limit). The resource quota controller recomputes usage from the objects themselves. Objects
 * are charged on create; services and claims also on updates that grow their usage.
 */
export const resourceQuota: AdmissionPlugin = {
  name: 'ResourceQuota',
  handles: (req) => !!req.namespace && (req.operation === 'create' || (req.def.group === '' && (req.def.plural === 'services' || req.def.plural === 'persistentvolumeclaims'))),
  validate: admitQuota,
};
