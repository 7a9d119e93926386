import type { core } from '../api/types/index.ts';
import { selectorMatches, type LabelSelector } from '../controllers/runtime/selector.ts';
import type { NodeInfo } from './filters.ts';

type Pod = core.Pod;

/** Which namespaces a term looks at: a set of names, or every namespace. */
export type Namespaces = ReadonlySet<string> | 'all';

/** A label selector with the namespaces it applies to, ready to test pods against. */
export interface PodSelector {
  namespaces: Namespaces;
  selector: LabelSelector | undefined;
}

export function inNamespaces(ns: Namespaces, pod: Pod): boolean {
  return ns === 'all' || ns.has(pod.metadata?.namespace ?? '');
}

export function podMatches(s: PodSelector, pod: Pod): boolean {
  return inNamespaces(s.namespaces, pod) && selectorMatches(s.selector, pod.metadata?.labels ?? {});
}

/**
 * Placed, not terminating pods on the node that `s` selects. When the selector is one namespace
 * and label pairs only, the node's label index answers without walking its pods (the single-pair
 * case exactly; more pairs are bounded by the rarest first).
 */
export function countMatching(n: NodeInfo, s: PodSelector): number {
  const sel = s.selector;
  if (!sel) return 0;
  const pairs = Object.entries(sel.matchLabels ?? {});
  if (s.namespaces !== 'all' && s.namespaces.size === 1 && pairs.length) {
    const [ns] = s.namespaces;
    let least = Infinity;
    for (const [k, v] of pairs) least = Math.min(least, n.withLabel(ns!, k, v));
    if (least === 0 || (pairs.length === 1 && !sel.matchExpressions?.length)) return least;
  }
  let c = 0;
  for (const p of n.pods) if (!p.metadata?.deletionTimestamp && podMatches(s, p)) c++;
  return c;
}

/** A topology domain key: the label key and the node's value for it. */
export const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

/** The node's value for a topology key, undefined when the node lacks the label. */
export const topologyValue = (n: NodeInfo, key: string): string | undefined => n.node.metadata?.labels?.[key];
