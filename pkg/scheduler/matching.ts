import type { core } from '../api/types/index.ts';
import type { LabelSelector } from '../controllers/runtime/selector.ts';
import type { NodeInfo } from './filters.ts';

type Pod = core.Pod;

/** Which namespaces a term looks at: a set of names, or every namespace. */
export type Namespaces = ReadonlySet<string> | 'all';

/** The label index's key for one label pair. */
export const labelKey = (k: string, v: string) => `${k}=${v}`;

interface Expression {
  key: string;
  operator: string;
  values: readonly string[];
}

/**
 * A label selector with the namespaces it applies to, compiled once per scheduling attempt (the
 * same one is tested against thousands of pods and nodes). As upstream, a missing selector
 * matches nothing and an empty one everything.
 */
export interface PodSelector {
  readonly namespaces: Namespaces;
  /** Undefined when the selector is missing. */
  readonly pairs: readonly (readonly [string, string])[] | undefined;
  readonly expressions: readonly Expression[];
  /** The one namespace, when there is one. */
  readonly namespace: string | undefined;
  /** Label index keys of the pairs (with `namespace`, the index answers without walking pods). */
  readonly indexKeys: readonly string[];
}

export function compileSelector(namespaces: Namespaces, selector: LabelSelector | null | undefined): PodSelector {
  const pairs = selector ? Object.entries(selector.matchLabels ?? {}) : undefined;
  return {
    namespaces,
    pairs,
    expressions: (selector?.matchExpressions ?? []).map((e) => ({ key: e.key, operator: e.operator, values: e.values ?? [] })),
    namespace: namespaces !== 'all' && namespaces.size === 1 ? [...namespaces][0] : undefined,
    indexKeys: (pairs ?? []).map(([k, v]) => labelKey(k, v)),
  };
}

function labelsMatch(s: PodSelector, labels: Record<string, string>): boolean {
  if (!s.pairs) return false;
  for (const [k, v] of s.pairs) if (labels[k] !== v) return false;
  for (const e of s.expressions) {
    const has = Object.hasOwn(labels, e.key);
    const ok = e.operator === 'In' ? has && e.values.includes(labels[e.key]!)
      : e.operator === 'NotIn' ? !has || !e.values.includes(labels[e.key]!)
        : e.operator === 'Exists' ? has
          : e.operator === 'DoesNotExist' ? !has
            : false;
    if (!ok) return false;
  }
  return true;
}

export function podMatches(s: PodSelector, pod: Pod): boolean {
  const ns = s.namespaces;
  if (ns !== 'all' && !ns.has(pod.metadata?.namespace ?? '')) return false;
  return labelsMatch(s, pod.metadata?.labels ?? {});
}

/**
 * Placed pods on the node that `s` selects; terminating ones only with `terminating` (upstream
 * counts them for inter-pod affinity, not for topology spreading). When the selector is one
 * namespace and label pairs, the node's label index answers without walking its pods (a single
 * pair exactly; with more, a pair no pod has settles it).
 */
export function countMatching(n: NodeInfo, s: PodSelector, terminating: boolean): number {
  if (!s.pairs) return 0;
  if (s.namespace !== undefined && s.indexKeys.length) {
    let least = Infinity;
    for (const k of s.indexKeys) least = Math.min(least, n.labelCount(s.namespace, k));
    if (least === 0) return 0;
    if (s.indexKeys.length === 1 && !s.expressions.length) {
      if (!terminating) for (const p of n.terminating.values()) if (podMatches(s, p)) least--;
      return least;
    }
  }
  let c = 0;
  for (const p of n.pods) if ((terminating || !p.metadata?.deletionTimestamp) && podMatches(s, p)) c++;
  return c;
}

/** Numbers per topology domain (a label key and a value of it), read per node by its labels. */
export class DomainCounts {
  private readonly byKey = new Map<string, Map<string, number>>();
  private entries = 0;

  get size(): number {
    return this.entries;
  }

  add(key: string, value: string, d: number): void {
    let m = this.byKey.get(key);
    if (!m) this.byKey.set(key, (m = new Map()));
    const old = m.get(value);
    if (old === undefined) this.entries++;
    m.set(value, (old ?? 0) + d);
  }

  get(key: string, value: string | undefined): number {
    return value === undefined ? 0 : (this.byKey.get(key)?.get(value) ?? 0);
  }

  /** The sum over the domains a node with these labels is in. */
  sumFor(labels: Record<string, string>): number {
    let s = 0;
    for (const [key, m] of this.byKey) {
      const v = labels[key];
      if (v !== undefined) s += m.get(v) ?? 0;
    }
    return s;
  }
}
