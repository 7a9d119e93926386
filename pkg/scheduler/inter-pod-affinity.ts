import type { core } from '../api/types/index.ts';
import { selectorMatches } from '../controllers/runtime/selector.ts';
import type { SchedulerCache } from './cache.ts';
import type { NodeInfo } from './filters.ts';
import { normalizeMinMax, type Plugin } from './framework.ts';
import { compileSelector, countMatching, DomainCounts, podMatches, type Namespaces, type PodSelector } from './matching.ts';

type Pod = core.Pod;

interface Term extends PodSelector {
  readonly topologyKey: string;
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
  // Terms without a namespaceSelector never change meaning: compiled once per term object
  // (informer objects are frozen, so a changed pod brings new term objects).
  const compiled = new WeakMap<core.PodAffinityTerm, Term>();
  function resolve(owner: Pod, t: core.PodAffinityTerm): Term {
    if (t.namespaceSelector) return compile(owner, t);
    let c = compiled.get(t);
    if (!c) compiled.set(t, (c = compile(owner, t)));
    return c;
  }

  function compile(owner: Pod, t: core.PodAffinityTerm): Term {
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
    return { ...compileSelector(ns, t.labelSelector), topologyKey: t.topologyKey };
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

      const affinityCounts = new DomainCounts();
      const antiCounts = new DomainCounts();
      if (affinity.length || anti.length) {
        for (const n of nodes) {
          const labels = n.node.metadata?.labels ?? {};
          // A placed pod counts for affinity only if it matches every term, as upstream.
          if (affinity.length === 1) {
            const t = affinity[0]!;
            const c = labels[t.topologyKey] !== undefined ? countMatching(n, t, true) : 0;
            if (c) affinityCounts.add(t.topologyKey, labels[t.topologyKey]!, c);
          } else if (affinity.length) {
            for (const e of n.pods) {
              if (!affinity.every((t) => podMatches(t, e))) continue;
              for (const t of affinity) if (labels[t.topologyKey] !== undefined) affinityCounts.add(t.topologyKey, labels[t.topologyKey]!, 1);
            }
          }
          for (const t of anti) {
            const c = labels[t.topologyKey] !== undefined ? countMatching(n, t, true) : 0;
            if (c) antiCounts.add(t.topologyKey, labels[t.topologyKey]!, c);
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
            const ok = affinity.every((t) => affinityCounts.get(t.topologyKey, labels[t.topologyKey]) > 0);
            if (!ok && !(affinityCounts.size === 0 && selfMatch)) return ["node(s) didn't match pod affinity rules"];
          }
          for (const t of anti) {
            if (antiCounts.get(t.topologyKey, labels[t.topologyKey]) > 0) return ["node(s) didn't match pod anti-affinity rules"];
          }
          return undefined;
        },
        ...(scores.size ? {
          weight: 2,
          score: (n: NodeInfo) => scores.sumFor(n.node.metadata?.labels ?? {}),
          normalize: (s: number[]) => normalizeMinMax(s),
        } : {}),
      };
    },
  };

  /** Per topology domain: the weights of preferred terms (and placed pods' required affinity) that hold there. */
  function preferredScores(pod: Pod, nodes: readonly NodeInfo[]): DomainCounts {
    const out = new DomainCounts();
    const add = (n: NodeInfo, key: string, w: number) => {
      const v = n.node.metadata?.labels?.[key];
      if (v !== undefined && w) out.add(key, v, w);
    };
    const a = pod.spec?.affinity;
    const mine = [
      ...(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => ({ term: resolve(pod, t.podAffinityTerm), w: t.weight })),
      ...(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => ({ term: resolve(pod, t.podAffinityTerm), w: -t.weight })),
    ];
    if (mine.length) {
      for (const n of nodes) for (const { term, w } of mine) add(n, term.topologyKey, w * countMatching(n, term, true));
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
