import { countedKind, kindCharges, parseList, quotaSelects, usageOf, type QuotaSpec, type Resources } from '../api/admission/index.ts';
import { keyOf, type Client, type Informer, type InformerFactory } from '../api/client/index.ts';
import { addQuantity, formatQuantity } from '../api/quantity-exact.ts';
import { isNotFound } from '../api/status.ts';
import type { KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { canonical } from './deployment-math.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

const usageText = (r: Resources) => [...r.keys()].sort().map((k) => `${k}=${formatQuantity(r.get(k)!)}`).join(',');

type Quota = KObject & { spec?: QuotaSpec; status?: { hard?: Record<string, unknown>; used?: Record<string, unknown> } };

/** Kinds whose objects are watched (their changes recompute their namespace's quotas at once). */
const watchedKinds = [
  { group: '', plural: 'pods' }, { group: '', plural: 'services' }, { group: '', plural: 'configmaps' },
  { group: '', plural: 'secrets' }, { group: '', plural: 'persistentvolumeclaims' },
];

export interface ResourceQuotaOptions {
  now?: () => number;
  /** Every quota is recomputed this often, correcting charges of writes that failed after admission (upstream's 5 minutes). */
  resyncMs?: number;
}

/**
 * The resource quota controller: status.hard mirrors spec.hard, and status.used is what the
 * namespace's objects charge (the same evaluators as the ResourceQuota admission plugin, which
 * charges creates as they happen). Usage is recomputed when a quota's limits change, when an
 * object of a charged kind comes, changes its charge or goes, and periodically for every quota.
 */
export function resourceQuotaController(client: Client, informers: InformerFactory, log: Logger, opts: ResourceQuotaOptions = {}): Component {
  const now = opts.now ?? Date.now;
  const resyncMs = opts.resyncMs ?? 5 * 60_000;
  const quotas = informers.informer<Quota>('v1', 'resourcequotas');
  const watched = watchedKinds.map((k) => ({ ...k, informer: informers.informer('v1', k.plural) as Informer<KObject> }));
  const queue = new WorkQueue();

  // Kinds only counted (`count/<plural>.<group>`) get an informer once a quota names them and the
  // kind is served, so their deletes free the quota at once too; until it has synced, a list answers.
  const counted = new Map<string, Informer<KObject>>();

  /** The namespace's objects of a kind; undefined for a kind not served. */
  async function objectsOf(group: string, plural: string, ns: string): Promise<KObject[] | undefined> {
    const w = watched.find((k) => k.group === group && k.plural === plural);
    if (w) return w.informer.byIndex('namespace', ns);
    const key = `${group}/${plural}`;
    const inf = counted.get(key);
    if (inf?.hasSynced()) return inf.byIndex('namespace', ns);
    const apiVersion = group ? `${group}/v1` : 'v1';
    let items: KObject[];
    try {
      items = (await client.resource(apiVersion, plural).list(ns)).items;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    if (!inf) {
      const made = informers.informer(apiVersion, plural);
      made.onAdd(enqueueNamespace);
      made.onDelete(enqueueNamespace);
      counted.set(key, made);
    }
    return items;
  }

  async function reconcile(key: string): Promise<number | void> {
    const quota = quotas.get(key);
    if (!quota || quota.metadata.deletionTimestamp) return;
    const ns = quota.metadata.namespace!;
    const hard = quota.spec?.hard ?? {};
    const hardNames = Object.keys(hard);
    // Kinds to evaluate: the watched ones charging any limited resource, and counted kinds.
    const kinds = new Map<string, { group: string; plural: string }>();
    for (const k of watchedKinds) if (hardNames.some((r) => kindCharges(k.group, k.plural, r))) kinds.set(`${k.group}/${k.plural}`, k);
    for (const r of hardNames) {
      const k = countedKind(r);
      if (k) kinds.set(`${k.group}/${k.plural}`, k);
    }
    const used: Resources = parseList(quota.status?.used);
    const t = now();
    for (const k of kinds.values()) {
      const objects = await objectsOf(k.group, k.plural, ns);
      if (!objects) continue;
      const charged = hardNames.filter((r) => kindCharges(k.group, k.plural, r));
      const sum: Resources = new Map(charged.map((r) => [r, { nanos: 0n, format: 'DecimalSI' as const }]));
      for (const o of objects) {
        if (!quotaSelects(quota.spec ?? {}, k.group, k.plural, o)) continue;
        for (const [r, q] of usageOf(k.group, k.plural, o, t)) if (sum.has(r)) sum.set(r, addQuantity(sum.get(r)!, q));
      }
      for (const [r, q] of sum) used.set(r, q);
    }
    const status = {
      hard: { ...hard },
      used: Object.fromEntries(hardNames.filter((r) => used.has(r)).sort().map((r) => [r, formatQuantity(used.get(r)!)])),
    };
    if (canonical(status) !== canonical(quota.status ?? {})) {
      try {
        await client.resource<Quota>('v1', 'resourcequotas').updateStatus(ns, { ...quota, status });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return resyncMs;
  }

  const enqueueNamespace = (o: KObject) => quotas.byIndex('namespace', o.metadata.namespace ?? '').forEach((q) => queue.add(keyOf(q)));
  const loop = controllerLoop('resourcequota', queue, reconcile, log);
  return {
    name: 'resourcequota',
    async start(signal) {
      quotas.onAdd((q) => queue.add(keyOf(q)));
      // Status writes are this controller's and admission's own; only new limits need a recount.
      quotas.onUpdate((o, q) => canonical(o.spec ?? {}) !== canonical(q.spec ?? {}) && queue.add(keyOf(q)));
      for (const k of watched) {
        k.informer.onAdd(enqueueNamespace);
        k.informer.onUpdate((o, n) => {
          const t = now();
          if (usageText(usageOf(k.group, k.plural, o, t)) !== usageText(usageOf(k.group, k.plural, n, t))) enqueueNamespace(n);
        });
        k.informer.onDelete(enqueueNamespace);
      }
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
