import type { core } from '../api/types/index.ts';
import type { NodeInfo } from './filters.ts';

type Pod = core.Pod;

/**
 * What a plugin does for one pod, prepared once per scheduling attempt (upstream's PreFilter and
 * PreScore with their CycleState): the closures keep whatever the plugin computed about the pod
 * and the cluster, so the per-node work stays small.
 */
export interface Prepared {
  /** Why the node cannot take the pod (upstream's reason texts), or undefined if it can. */
  filter?(n: NodeInfo): string[] | undefined;
  /** A raw score for a feasible node. */
  score?(n: NodeInfo): number;
  /** Rescales the raw scores of the feasible nodes in place to 0–100 (upstream's NormalizeScore). */
  normalize?(scores: number[], nodes: readonly NodeInfo[]): void;
  /** The plugin's weight in the sum (upstream's default profile weights). */
  weight?: number;
}

/**
 * A scheduling plugin. `prepare` sees the pod and every node; it returns undefined when it has
 * nothing to say about this pod, or a string when the pod can go nowhere at all (upstream's
 * UnschedulableAndUnresolvable PreFilter status, reported without node counts).
 */
export interface Plugin {
  readonly name: string;
  prepare(pod: Pod, nodes: readonly NodeInfo[]): Prepared | string | undefined;
}

/** A plugin made of a per-node filter that needs no preparation. */
export function filterPlugin(name: string, f: (pod: Pod, n: NodeInfo) => string[] | undefined): Plugin {
  return { name, prepare: (pod) => ({ filter: (n) => f(pod, n) }) };
}

/**
 * How many feasible nodes are enough to pick from (upstream's percentageOfNodesToScore with its
 * adaptive default): all of them below 100 nodes, then a share falling from 50 % by one point per
 * 125 nodes to at least 5 %, never fewer than 100.
 */
export function feasibleNodesToFind(all: number): number {
  if (all < 100) return all;
  const percent = Math.max(5, 50 - Math.floor(all / 125));
  return Math.max(100, Math.floor((all * percent) / 100));
}

export type Decision =
  | { node: NodeInfo }
  | { unresolvable: string }
  | { reasons: Map<string, number> };

/**
 * One scheduling attempt: filters run in plugin order and a node is reported under the first that
 * rejects it; the search starts where the previous attempt stopped and ends once enough feasible
 * nodes are found, as upstream, so a big cluster is not walked whole for every pod; the feasible
 * nodes are scored and the best one wins (ties go to the first found).
 */
export class Framework {
  private nextStart = 0;

  constructor(private readonly plugins: readonly Plugin[]) {}

  decide(pod: Pod, nodes: readonly NodeInfo[]): Decision {
    const prepared = this.prepare(pod, nodes);
    if (typeof prepared === 'string') return { unresolvable: prepared };
    const { feasible, reasons, tried } = this.search(prepared, nodes, this.nextStart, feasibleNodesToFind(nodes.length));
    this.nextStart = nodes.length ? (this.nextStart + tried) % nodes.length : 0;
    if (!feasible.length) return { reasons };
    if (feasible.length === 1) return { node: feasible[0]! };
    const total = new Array<number>(feasible.length).fill(0);
    for (const p of prepared) {
      if (!p.score) continue;
      const s = feasible.map((n) => p.score!(n));
      p.normalize?.(s, feasible);
      const w = p.weight ?? 1;
      for (let k = 0; k < s.length; k++) total[k]! += s[k]! * w;
    }
    let best = 0;
    for (let k = 1; k < total.length; k++) if (total[k]! > total[best]!) best = k;
    return { node: feasible[best]! };
  }

  /** Every node that passes the filters (no search limit), or the pod-wide reason there is none. */
  feasible(pod: Pod, nodes: readonly NodeInfo[]): NodeInfo[] | string {
    const prepared = this.prepare(pod, nodes);
    return typeof prepared === 'string' ? prepared : this.search(prepared, nodes, 0, nodes.length).feasible;
  }

  private prepare(pod: Pod, nodes: readonly NodeInfo[]): Prepared[] | string {
    const prepared: Prepared[] = [];
    for (const p of this.plugins) {
      const r = p.prepare(pod, nodes);
      if (typeof r === 'string') return r;
      if (r) prepared.push(r);
    }
    return prepared;
  }

  private search(prepared: Prepared[], nodes: readonly NodeInfo[], start: number, want: number) {
    const filters = prepared.filter((p) => p.filter);
    const feasible: NodeInfo[] = [];
    const reasons = new Map<string, number>();
    let tried = 0;
    for (; tried < nodes.length && feasible.length < want; tried++) {
      const n = nodes[(start + tried) % nodes.length]!;
      let failed: string[] | undefined;
      for (const f of filters) if ((failed = f.filter!(n))) break;
      if (!failed) feasible.push(n);
      else for (const r of failed) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    return { feasible, reasons, tried };
  }
}

/** Scales scores so the highest becomes 100 (upstream's DefaultNormalizeScore); `reverse` prefers low raw scores. */
export function normalizeToMax(scores: number[], reverse = false): void {
  const max = Math.max(0, ...scores);
  for (let i = 0; i < scores.length; i++) {
    const v = max ? (scores[i]! * 100) / max : 0;
    scores[i] = reverse ? 100 - v : v;
  }
}

/** Scales scores to 0–100 between their lowest and highest (upstream's InterPodAffinity normalization). */
export function normalizeMinMax(scores: number[]): void {
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  for (let i = 0; i < scores.length; i++) scores[i] = max > min ? ((scores[i]! - min) * 100) / (max - min) : 0;
}
