import type { core } from '../api/types/index.ts';
import { selectorMatches } from '../controllers/runtime/selector.ts';
import type { SchedulerCache } from './cache.ts';
import type { NodeInfo } from './filters.ts';
import { normalizeMinMax, type Plugin } from './framework.ts';
import { pairKey, podMatches, type Namespaces, type PodSelector } from './matching.ts';

type Pod = core.Pod;

interface Term extends PodSelector {
  topologyKey: string;
}

/** Labels of a namespace, undefined when it does not exist (for namespaceSelector). */
export type NamespaceLabels = () => Iterable<{ name: string; labels: Record<string, string> }>;

/** Upstream's weight for existing pods' required affinity terms in scoring (hardPodAffinityWeight). */
const hardPodAffinityWeight = 1;

/**
 * Upstream's InterPodAffinity plugin. Filter: no pod already placed may have a required
 * anti-affinity term that the incoming pod matches within the node's topology domain; each of the
 * pod's required affinity terms needs a matching pod in the node's domain (unless no pod matches
 * at all and the pod matches its own terms — the first of a group); none of its required
 * anti-affinity terms may match a pod in the domain. Score: preferred terms of the pod and of the
 * placed pods, summed per topology domain and scaled between the lowest and highest node.
 */
export function interPodAffinity(cache: SchedulerCache, namespaces: NamespaceLabels): Plugin {
  function resolve(owner: Pod, t: core.PodAffinityTerm): Term {
    const own = owner.metadata?.namespace ?? '';
    let ns: Namespaces;
    const sel = t.namespaceSelector;
    if (sel && !sel.matchLabels && !sel.matchExpressions?.length) ns = 'all';
    else {
      const names = new Set(t.namespaces ?? []);
      if (sel) for (const n of namespaces()) if (selectorMatches(sel, n.labels)) names.add(n.name);
      if (!names.size && !sel) names.add(own);
      ns = names;
    }
    return { namespaces: ns, selector: t.labelSelector ?? undefined, topologyKey: t.topologyKey };
  }

  const placedOn = (key: string): NodeInfo | undefined => {
    const n = cache.nodeOf(key);
    return n === undefined ? undefined : cache.node(n);
  };

  return {
    name: 'InterPodAffinity',
    prepare(pod, nodes) {
      const a = pod.spec?.affinity;
      const affinity = (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => resolve(pod, t));
      const anti = (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => resolve(pod, t));

      // Domains where a placed pod's required anti-affinity rejects this pod.
      const existingAnti: [string, string][] = [];
      for (const [key, e] of cache.antiAffinityPods) {
        const n = placedOn(key);
        if (!n) continue;
        for (const t of e.spec!.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution!) {
          const v = n.node.metadata?.labels?.[t.topologyKey];
          if (v !== undefined && podMatches(resolve(e, t), pod)) existingAnti.push([t.topologyKey, v]);
        }
      }

      const affinityCounts = new Map<string, number>();
      const antiCounts = new Map<string, number>();
      const add = (m: Map<string, number>, k: string, d: number) => m.set(k, (m.get(k) ?? 0) + d);
      if (affinity.length || anti.length) {
        for (const n of nodes) {
          const labels = n.node.metadata?.labels ?? {};
          for (const e of n.pods) {
            // A placed pod counts for affinity only if it matches every term, as upstream.
            if (affinity.length && affinity.every((t) => podMatches(t, e))) {
              for (const t of affinity) if (labels[t.topologyKey] !== undefined) add(affinityCounts, pairKey(t.topologyKey, labels[t.topologyKey]!), 1);
            }
            for (const t of anti) if (labels[t.topologyKey] !== undefined && podMatches(t, e)) add(antiCounts, pairKey(t.topologyKey, labels[t.topologyKey]!), 1);
          }
        }
      }
      const selfMatch = affinity.every((t) => podMatches(t, pod));

      const scores = preferredScores(pod, nodes);
      if (!existingAnti.length && !affinity.length && !anti.length && !scores.size) return undefined;
      return {
        filter(n) {
          const labels = n.node.metadata?.labels ?? {};
          if (existingAnti.some(([k, v]) => labels[k] === v)) return ["node(s) didn't satisfy existing pods anti-affinity rules"];
          if (affinity.length) {
            const ok = affinity.every((t) => labels[t.topologyKey] !== undefined && (affinityCounts.get(pairKey(t.topologyKey, labels[t.topologyKey]!)) ?? 0) > 0);
            if (!ok && !(affinityCounts.size === 0 && selfMatch)) return ["node(s) didn't match pod affinity rules"];
          }
          for (const t of anti) {
            const v = labels[t.topologyKey];
            if (v !== undefined && (antiCounts.get(pairKey(t.topologyKey, v)) ?? 0) > 0) return ["node(s) didn't match pod anti-affinity rules"];
          }
          return undefined;
        },
        ...(scores.size ? {
          weight: 2,
          score(n: NodeInfo) {
            let s = 0;
            for (const [k, v] of Object.entries(n.node.metadata?.labels ?? {})) s += scores.get(pairKey(k, v)) ?? 0;
            return s;
          },
          normalize: (s: number[]) => normalizeMinMax(s),
        } : {}),
      };
    },
  };

  /** Per topology domain: the weights of preferred terms (and placed pods' required affinity) that hold there. */
  function preferredScores(pod: Pod, nodes: readonly NodeInfo[]): Map<string, number> {
    const out = new Map<string, number>();
    const add = (n: NodeInfo, key: string, w: number) => {
      const v = n.node.metadata?.labels?.[key];
      if (v !== undefined && w) out.set(pairKey(key, v), (out.get(pairKey(key, v)) ?? 0) + w);
    };
    const a = pod.spec?.affinity;
    const mine = [
      ...(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => ({ term: resolve(pod, t.podAffinityTerm), w: t.weight })),
      ...(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => ({ term: resolve(pod, t.podAffinityTerm), w: -t.weight })),
    ];
    if (mine.length) {
      for (const n of nodes) for (const e of n.pods) for (const { term, w } of mine) if (podMatches(term, e)) add(n, term.topologyKey, w);
    }
    for (const [key, e] of cache.affinityPods) {
      const n = placedOn(key);
      if (!n) continue;
      const ea = e.spec!.affinity!;
      for (const t of ea.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) if (podMatches(resolve(e, t), pod)) add(n, t.topologyKey, hardPodAffinityWeight);
      for (const t of ea.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) if (podMatches(resolve(e, t.podAffinityTerm), pod)) add(n, t.podAffinityTerm.topologyKey, t.weight);
      for (const t of ea.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) if (podMatches(resolve(e, t.podAffinityTerm), pod)) add(n, t.podAffinityTerm.topologyKey, -t.weight);
    }
    return out;
  }
}
