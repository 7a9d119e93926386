import { addQuantity, cmpQuantity, parseExact, type Quantity } from '../quantity-exact.ts';

/** A ResourceList parsed: resource name → exact quantity. Text that is no quantity is skipped (validation reports it). */
export type Resources = Map<string, Quantity>;

export function parseList(list: unknown): Resources {
  const out: Resources = new Map();
  if (!list || typeof list !== 'object') return out;
  for (const [k, v] of Object.entries(list as Record<string, unknown>)) {
    const q = parseExact(v);
    if (q) out.set(k, q);
  }
  return out;
}

/** quota.Add / addResourceList: sums into `into`, keeping the first operand's format. */
export function addInto(into: Resources, more: Resources): Resources {
  for (const [k, q] of more) into.set(k, into.has(k) ? addQuantity(into.get(k)!, q) : q);
  return into;
}

/** maxResourceList: the larger of each resource into `into`. */
export function maxInto(into: Resources, other: Resources): Resources {
  for (const [k, q] of other) if (!into.has(k) || cmpQuantity(q, into.get(k)!) > 0) into.set(k, q);
  return into;
}

interface Container {
  name?: string;
  restartPolicy?: string;
  resources?: { requests?: unknown; limits?: unknown };
}
export interface PodSpecLike {
  containers?: Container[];
  initContainers?: Container[];
  overhead?: unknown;
}

/**
 * The pod's effective requests or limits (upstream's PodRequests/PodLimits over the spec): the
 * sum of its containers, restartable (sidecar) init containers added, the largest of the other
 * init containers (each with the sidecars started before it) if bigger, plus the pod overhead.
 */
export function podResources(spec: PodSpecLike | undefined, which: 'requests' | 'limits'): Resources {
  const total: Resources = new Map();
  for (const c of spec?.containers ?? []) addInto(total, parseList(c?.resources?.[which]));
  const sidecars: Resources = new Map();
  const initMax: Resources = new Map();
  for (const c of spec?.initContainers ?? []) {
    const own = parseList(c?.resources?.[which]);
    if (c?.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initMax, new Map(sidecars));
    } else maxInto(initMax, addInto(addInto(new Map(), own), sidecars));
  }
  maxInto(total, initMax);
  if (spec?.overhead) addInto(total, parseList(spec.overhead));
  return total;
}
