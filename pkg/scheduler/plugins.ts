import type { core } from '../api/types/index.ts';
import { allocatable, hasNodeConstraints, hostPorts, matchesTerm, nodeAffinity, nodePorts, podRequests, resourcesFit, taintToleration, tolerates } from './filters.ts';
import { normalizeToMax, type Plugin } from './framework.ts';

type Pod = core.Pod;

/**
 * Requests against allocatable; scored by least allocated (spread load) plus balanced allocation
 * (cpu and memory used alike), each 0–100, as upstream's NodeResourcesFit and
 * NodeResourcesBalancedAllocation.
 */
export const nodeResources: Plugin = {
  name: 'NodeResourcesFit',
  prepare(pod) {
    const r = podRequests(pod);
    // Upstream counts requestless pods as 100m / 200Mi for scoring only.
    const wantCpu = r.cpu || 100;
    const wantMem = r.memory || 200 * 2 ** 20;
    return {
      filter: (n) => resourcesFit(r, n),
      score(n) {
        const a = allocatable(n.node);
        const cpuFree = a.cpu > 0 ? Math.max(0, (a.cpu - n.requested.cpu - wantCpu) / a.cpu) : 0;
        const memFree = a.memory > 0 ? Math.max(0, (a.memory - n.requested.memory - wantMem) / a.memory) : 0;
        return ((cpuFree + memFree) / 2) * 100 + (1 - Math.abs(cpuFree - memFree)) * 100;
      },
    };
  },
};

/**
 * nodeSelector and required node affinity; scored by the summed weights of the preferred terms a
 * node matches, scaled to the best node.
 */
export const nodeAffinityPlugin: Plugin = {
  name: 'NodeAffinity',
  prepare(pod) {
    const filter = hasNodeConstraints(pod) ? (n: { node: core.Node }) => nodeAffinity(pod, n) : undefined;
    const terms = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    if (!terms.length) return filter && { filter };
    return {
      filter,
      weight: 2,
      score: (n) => terms.reduce((s, t) => s + (matchesTerm(n.node, t.preference) ? t.weight : 0), 0),
      normalize: (s: number[]) => normalizeToMax(s),
    };
  },
};

/**
 * NoSchedule and NoExecute taints must be tolerated; scored by fewer untolerated PreferNoSchedule
 * taints (upstream's TaintToleration).
 */
export const taintPlugin: Plugin = {
  name: 'TaintToleration',
  prepare(pod, nodes) {
    const filter = (n: { node: core.Node }) => taintToleration(pod, n);
    // Without PreferNoSchedule taints anywhere every node scores alike: skip scoring.
    if (!nodes.some((n) => preferNoSchedule(n.node))) return { filter };
    const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return {
      filter,
      weight: 3,
      score: (n) => (n.node.spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !tolerations.some((x) => tolerates(x, t))).length,
      normalize: (s: number[]) => normalizeToMax(s, true),
    };
  },
};

/** Spreads the pods of one controller (a ReplicaSet's replicas) over nodes: fewer siblings, higher score. */
export const controllerSpreadScore: Plugin = {
  name: 'ControllerSpread',
  prepare(pod: Pod) {
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
    if (!owner) return undefined;
    return { weight: 2, score: (n) => 100 / (1 + n.ownedBy(owner.uid)) };
  },
};

// Node objects are replaced, never changed in place.
const preferNoScheduleOf = new WeakMap<core.Node, boolean>();
function preferNoSchedule(node: core.Node): boolean {
  let v = preferNoScheduleOf.get(node);
  if (v === undefined) preferNoScheduleOf.set(node, (v = !!node.spec?.taints?.some((t) => t.effect === 'PreferNoSchedule')));
  return v;
}

/** Host ports the pod asks for must be free on the node. */
export const nodePortsPlugin: Plugin = {
  name: 'NodePorts',
  prepare: (pod) => (hostPorts(pod).length ? { filter: (n) => nodePorts(pod, n) } : undefined),
};
