import type { core } from '../api/types/index.ts';
import { allocatable, matchesTerm, podRequests, used, type NodeInfo } from './filters.ts';

type Pod = core.Pod;

/**
 * Scores 0–100 per node; higher is better. Upstream's defaults: least allocated (spread load),
 * balanced allocation (cpu and memory used alike), preferred node affinity, and spreading the
 * pods of one owner (a ReplicaSet's replicas) across nodes.
 */
export function score(pod: Pod, n: NodeInfo): number {
  const a = allocatable(n.node);
  const u = used(n);
  const r = podRequests(pod);
  // Upstream counts requestless pods as 100m / 200Mi for scoring only.
  const cpu = u.cpu + (r.cpu || 100);
  const mem = u.memory + (r.memory || 200 * 2 ** 20);
  const cpuFree = a.cpu > 0 ? Math.max(0, (a.cpu - cpu) / a.cpu) : 0;
  const memFree = a.memory > 0 ? Math.max(0, (a.memory - mem) / a.memory) : 0;
  const leastAllocated = ((cpuFree + memFree) / 2) * 100;
  const balanced = (1 - Math.abs(cpuFree - memFree)) * 100;

  let preferred = 0;
  let total = 0;
  for (const t of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    total += t.weight;
    if (matchesTerm(n.node, t.preference)) preferred += t.weight;
  }
  const affinity = total ? (preferred / total) * 100 : 0;

  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
  const siblings = owner ? n.pods.filter((p) => p.metadata?.ownerReferences?.some((o) => o.uid === owner.uid)).length : 0;
  const spread = 100 / (1 + siblings);

  return leastAllocated + balanced + affinity * 2 + spread * 2;
}
