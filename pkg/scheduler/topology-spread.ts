import type { core } from '../api/types/index.ts';
import type { LabelSelector } from '../controllers/runtime/selector.ts';
import { nodeAffinity, taintToleration, type NodeInfo } from './filters.ts';
import type { Plugin, Prepared } from './framework.ts';
import { compileSelector, countMatching, podMatches, type PodSelector } from './matching.ts';

type Pod = core.Pod;

interface Constraint {
  selector: PodSelector;
  topologyKey: string;
  maxSkew: number;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
}

/** The constraint's selector with matchLabelKeys merged in (as upstream's scheduler does in 1.32). */
function constraintOf(pod: Pod, c: core.TopologySpreadConstraint): Constraint {
  let selector: LabelSelector | undefined = c.labelSelector ?? undefined;
  const labels = pod.metadata?.labels ?? {};
  const extra = (c.matchLabelKeys ?? []).filter((k) => k in labels).map((k) => ({ key: k, operator: 'In', values: [labels[k]!] }));
  if (selector && extra.length) selector = { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
  return {
    selector: compileSelector(new Set([pod.metadata?.namespace ?? '']), selector),
    topologyKey: c.topologyKey,
    maxSkew: c.maxSkew,
    minDomains: c.minDomains ?? 1,
    honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorTaints: c.nodeTaintsPolicy === 'Honor',
  };
}

const hasKeys = (n: NodeInfo, cs: readonly Constraint[]) => cs.every((c) => n.node.metadata?.labels?.[c.topologyKey] !== undefined);

/**
 * Matching pods per topology domain over the nodes a constraint counts: nodes with every
 * constraint's key that pass the pod's node affinity (nodeAffinityPolicy Honor, the default) and
 * taints (nodeTaintsPolicy Honor).
 */
function domainCounts(pod: Pod, cs: readonly Constraint[], nodes: readonly NodeInfo[]): Map<string, number>[] {
  const out = cs.map(() => new Map<string, number>());
  for (const n of nodes) {
    if (!hasKeys(n, cs)) continue;
    const affinityOk = !nodeAffinity(pod, n);
    const taintsOk = !taintToleration(pod, n);
    cs.forEach((c, i) => {
      if ((c.honorAffinity && !affinityOk) || (c.honorTaints && !taintsOk)) return;
      const v = n.node.metadata!.labels![c.topologyKey]!;
      out[i]!.set(v, (out[i]!.get(v) ?? 0) + countMatching(n, c.selector, false));
    });
  }
  return out;
}

/**
 * Upstream's PodTopologySpread plugin. Filter (whenUnsatisfiable DoNotSchedule): placing the pod
 * in the node's domain must keep matching pods within maxSkew of the emptiest domain (taken as 0
 * while fewer than minDomains domains exist); a node without the topology label is rejected.
 * Score (ScheduleAnyway): fewer matching pods in the node's domains is better.
 */
export const topologySpread: Plugin = {
  name: 'PodTopologySpread',
  prepare(pod, nodes) {
    const all = pod.spec?.topologySpreadConstraints ?? [];
    const hard = all.filter((c) => (c.whenUnsatisfiable ?? 'DoNotSchedule') === 'DoNotSchedule').map((c) => constraintOf(pod, c));
    const soft = all.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway').map((c) => constraintOf(pod, c));
    if (!hard.length && !soft.length) return undefined;
    const out: Prepared = {};
    if (hard.length) {
      const counts = domainCounts(pod, hard, nodes);
      const mins = hard.map((c, i) => (counts[i]!.size < c.minDomains ? 0 : Math.min(...counts[i]!.values())));
      const self = hard.map((c) => (podMatches(c.selector, pod) ? 1 : 0));
      out.filter = (n) => {
        if (!hasKeys(n, hard)) return ["node(s) didn't match pod topology spread constraints (missing required label)"];
        for (let i = 0; i < hard.length; i++) {
          const c = hard[i]!;
          const skew = (counts[i]!.get(n.node.metadata!.labels![c.topologyKey]!) ?? 0) + self[i]! - mins[i]!;
          if (skew > c.maxSkew) return ["node(s) didn't match pod topology spread constraints"];
        }
        return undefined;
      };
    }
    if (soft.length) {
      const counts = domainCounts(pod, soft, nodes);
      const weights = counts.map((m) => Math.log(m.size + 2));
      out.weight = 2;
      // -1 marks a node without the labels: it gets 0 after normalizing, as upstream.
      out.score = (n) => (hasKeys(n, soft)
        ? soft.reduce((s, c, i) => s + (counts[i]!.get(n.node.metadata!.labels![c.topologyKey]!) ?? 0) * weights[i]! + c.maxSkew - 1, 0)
        : -1);
      out.normalize = (scores) => {
        const valid = scores.filter((s) => s >= 0);
        const min = Math.min(...valid);
        const max = Math.max(...valid);
        for (let i = 0; i < scores.length; i++) {
          const s = scores[i]!;
          scores[i] = s < 0 ? 0 : max === 0 ? 100 : (100 * (max + min - s)) / max;
        }
      };
    }
    return out;
  },
};
