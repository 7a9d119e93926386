import type { core } from '../api/types/index.ts';
import { podRequests, type NodeInfo } from './filters.ts';
import { labelKey } from './matching.ts';

type Pod = core.Pod;
type Node = core.Node;


/**
 * One node with what is placed on it, kept up to date as pods come and go so a scheduling
 * attempt reads sums instead of walking every pod (upstream's NodeInfo). The label index counts
 * placed pods per namespace and label pair; it answers "how many pods with app=web" in O(1),
 * which is what topology spreading and inter-pod affinity ask of every node.
 */
class Entry implements NodeInfo {
  readonly podMap = new Map<string, Pod>();
  readonly terminating = new Map<string, Pod>();
  requested = { cpu: 0, memory: 0 };
  private readonly labelCounts = new Map<string, Map<string, number>>();
  private readonly ownerCounts = new Map<string, number>();
  private podList: Pod[] | undefined;

  constructor(public node: Node) {}

  get pods(): readonly Pod[] {
    return (this.podList ??= [...this.podMap.values()]);
  }

  get podCount(): number {
    return this.podMap.size;
  }

  labelCount(namespace: string, key: string): number {
    return this.labelCounts.get(namespace)?.get(key) ?? 0;
  }

  ownedBy(uid: string): number {
    return this.ownerCounts.get(uid) ?? 0;
  }

  add(key: string, pod: Pod): void {
    this.remove(key);
    this.podMap.set(key, pod);
    this.account(key, pod, 1);
  }

  remove(key: string): void {
    const old = this.podMap.get(key);
    if (!old) return;
    this.podMap.delete(key);
    this.account(key, old, -1);
  }

  private account(key: string, pod: Pod, sign: 1 | -1): void {
    this.podList = undefined;
    const r = podRequests(pod);
    this.requested = { cpu: this.requested.cpu + sign * r.cpu, memory: this.requested.memory + sign * r.memory };
    if (pod.metadata?.deletionTimestamp) {
      if (sign > 0) this.terminating.set(key, pod);
      else this.terminating.delete(key);
    }
    const ns = pod.metadata?.namespace ?? '';
    let counts = this.labelCounts.get(ns);
    if (!counts) this.labelCounts.set(ns, (counts = new Map()));
    for (const [k, v] of Object.entries(pod.metadata?.labels ?? {})) bump(counts, labelKey(k, v), sign);
    for (const o of pod.metadata?.ownerReferences ?? []) if (o.controller) bump(this.ownerCounts, o.uid, sign);
  }
}

function bump(m: Map<string, number>, k: string, d: number): void {
  const n = (m.get(k) ?? 0) + d;
  if (n) m.set(k, n);
  else m.delete(k);
}

const counts = (p: Pod) => !!p.spec?.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/**
 * The scheduler's view of the cluster: nodes and the pods counted on them, bound ones from the
 * informer and "assumed" ones the scheduler has just placed and is still binding. An assumed pod
 * stays counted on its node until the informer shows it bound (or the binding fails), so two
 * quick decisions never both take the last room on a node.
 */
export class SchedulerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly placed = new Map<string, string>(); // pod key → node it is counted on
  private readonly orphans = new Map<string, Map<string, Pod>>(); // pods bound to nodes not (yet) known
  private readonly assumedKeys = new Set<string>();
  private list: Entry[] | undefined;
  /** Pods with required anti-affinity terms, which every attempt must respect (their keys). */
  readonly antiAffinityPods = new Map<string, Pod>();
  /** Pods with affinity terms of any kind, for scoring the incoming pod against them. */
  readonly affinityPods = new Map<string, Pod>();

  nodes(): readonly NodeInfo[] {
    return (this.list ??= [...this.entries.values()]);
  }

  node(name: string): NodeInfo | undefined {
    return this.entries.get(name);
  }

  /** The node a pod is counted on, if any. */
  nodeOf(key: string): string | undefined {
    return this.placed.get(key);
  }

  isAssumed(key: string): boolean {
    return this.assumedKeys.has(key);
  }

  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const e = this.entries.get(name);
    if (e) {
      e.node = node;
      return;
    }
    const fresh = new Entry(node);
    // Pods may have been seen bound to the node before the node itself.
    for (const [key, pod] of this.orphans.get(name) ?? []) fresh.add(key, pod);
    this.orphans.delete(name);
    this.entries.set(name, fresh);
    this.list = undefined;
  }

  /** Its pods stay remembered (they still run there if the node comes back). */
  removeNode(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    this.entries.delete(name);
    if (e.podMap.size) this.orphans.set(name, new Map(e.podMap));
    this.list = undefined;
  }

  /** A pod as the informer shows it: counted where it is bound, forgotten when it is not. */
  updatePod(key: string, pod: Pod): void {
    if (counts(pod)) {
      this.assumedKeys.delete(key);
      this.place(key, pod, pod.spec!.nodeName!);
    } else if (!this.assumedKeys.has(key) || pod.spec?.nodeName || pod.metadata?.deletionTimestamp) {
      this.forget(key);
    }
  }

  /** The scheduler chose `node` for the pod; it counts there until bound or forgotten. */
  assume(key: string, pod: Pod, node: string): void {
    this.assumedKeys.add(key);
    this.place(key, pod, node);
  }

  forget(key: string): void {
    this.assumedKeys.delete(key);
    const n = this.placed.get(key);
    if (n !== undefined) this.unplace(key, n);
    this.placed.delete(key);
    this.antiAffinityPods.delete(key);
    this.affinityPods.delete(key);
  }

  private place(key: string, pod: Pod, node: string): void {
    const prev = this.placed.get(key);
    if (prev !== undefined && prev !== node) this.unplace(key, prev);
    const e = this.entries.get(node);
    if (e) e.add(key, pod);
    else {
      let m = this.orphans.get(node);
      if (!m) this.orphans.set(node, (m = new Map()));
      m.set(key, pod);
    }
    this.placed.set(key, node);
    const a = pod.spec?.affinity;
    if (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) this.antiAffinityPods.set(key, pod);
    else this.antiAffinityPods.delete(key);
    if (a?.podAffinity || a?.podAntiAffinity) this.affinityPods.set(key, pod);
    else this.affinityPods.delete(key);
  }

  private unplace(key: string, node: string): void {
    this.entries.get(node)?.remove(key);
    const m = this.orphans.get(node);
    if (m?.delete(key) && !m.size) this.orphans.delete(node);
  }
}
