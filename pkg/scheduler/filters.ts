import { quantityMilli, quantityValue } from '../api/quantity.ts';
import type { core } from '../api/types/index.ts';

type Pod = core.Pod;
type Node = core.Node;

/**
 * A node and what is already placed on it (bound or assumed pods), with the sums a scheduling
 * attempt needs kept ready (SchedulerCache keeps them up to date).
 */
export interface NodeInfo {
  readonly node: Node;
  readonly pods: readonly Pod[];
  readonly podCount: number;
  /** Summed effective requests of the pods (podRequests). */
  readonly requested: { readonly cpu: number; readonly memory: number };
  /** Placed pods (terminating ones included) of `namespace` with the label pair `key` (labelKey(k, v)). */
  labelCount(namespace: string, key: string): number;
  /** The placed pods that are terminating (a deletionTimestamp is set). */
  readonly terminating: ReadonlyMap<string, Pod>;
  /** Placed pods whose controller owner has this uid. */
  ownedBy(uid: string): number;
}

/** A filter says why a node cannot take the pod (upstream's reason text), or undefined if it can. */
export type Filter = (pod: Pod, n: NodeInfo) => string[] | undefined;
/** A filter that looks at the node alone (also used by the DaemonSet controller). */
export type NodeFilter = (pod: Pod, n: { node: Node }) => string[] | undefined;

export const nodeReady: NodeFilter = (_pod, { node }) => {
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') return c.status === 'True' ? undefined : ['node(s) were not ready'];
  return ['node(s) were not ready'];
};

export const nodeUnschedulable: NodeFilter = (pod, { node }) => {
  if (!node.spec?.unschedulable) return undefined;
  const tolerated = (pod.spec?.tolerations ?? []).some((t) => t.key === 'node.kubernetes.io/unschedulable' && (t.operator === 'Exists' || !t.operator) && (!t.effect || t.effect === 'NoSchedule'));
  return tolerated ? undefined : ['node(s) were unschedulable'];
};

export function tolerates(t: core.Toleration, taint: core.Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

export const taintToleration: NodeFilter = (pod, { node }) => {
  if (!node.spec?.taints?.length) return undefined;
  const bad = (node.spec?.taints ?? []).find((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !(pod.spec?.tolerations ?? []).some((t) => tolerates(t, taint)));
  return bad ? [`node(s) had untolerated taint {${bad.key}: ${bad.value ?? ''}}`] : undefined;
};

export function matchesExpression(labels: Record<string, string>, e: core.NodeSelectorRequirement): boolean {
  const has = e.key in labels;
  const v = labels[e.key];
  switch (e.operator) {
    case 'In': return has && (e.values ?? []).includes(v!);
    case 'NotIn': return !has || !(e.values ?? []).includes(v!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': return has && Number(v) > Number(e.values?.[0]);
    case 'Lt': return has && Number(v) < Number(e.values?.[0]);
    default: return false;
  }
}

export function matchesTerm(node: Node, term: core.NodeSelectorTerm): boolean {
  const labels = node.metadata?.labels ?? {};
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false; // an empty term matches nothing, as upstream
  return exprs.every((e) => matchesExpression(labels, e)) && fields.every((e) => matchesExpression({ 'metadata.name': node.metadata?.name ?? '' }, e));
}

/** Whether the pod constrains nodes by nodeSelector or required node affinity at all. */
export const hasNodeConstraints = (pod: Pod) => !!pod.spec?.nodeSelector || !!pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;

export const nodeAffinity: NodeFilter = (pod, { node }) => {
  const labels = node.metadata?.labels ?? {};
  const selector = pod.spec?.nodeSelector ?? {};
  const selOk = Object.entries(selector).every(([k, v]) => labels[k] === v);
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const affOk = !req || (req.nodeSelectorTerms ?? []).some((t) => matchesTerm(node, t));
  return selOk && affOk ? undefined : ["node(s) didn't match Pod's node affinity/selector"];
};

/** Effective requests: max(sum of containers, each init container) plus overhead, as upstream. */
export function podRequests(pod: Pod): { cpu: number; memory: number } {
  const sum = { cpu: 0, memory: 0 };
  for (const c of pod.spec?.containers ?? []) {
    sum.cpu += c.resources?.requests?.cpu !== undefined ? quantityMilli(c.resources.requests.cpu) : 0;
    sum.memory += c.resources?.requests?.memory !== undefined ? quantityValue(c.resources.requests.memory) : 0;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    sum.cpu = Math.max(sum.cpu, c.resources?.requests?.cpu !== undefined ? quantityMilli(c.resources.requests.cpu) : 0);
    sum.memory = Math.max(sum.memory, c.resources?.requests?.memory !== undefined ? quantityValue(c.resources.requests.memory) : 0);
  }
  return sum;
}

// Node objects are replaced, never changed in place, so their parsed allocatable can be kept.
const allocatableOf = new WeakMap<Node, { cpu: number; memory: number; pods: number }>();

export function allocatable(node: Node): { cpu: number; memory: number; pods: number } {
  let v = allocatableOf.get(node);
  if (!v) {
    const a = node.status?.allocatable ?? {};
    v = {
      cpu: a.cpu !== undefined ? quantityMilli(a.cpu) : 0,
      memory: a.memory !== undefined ? quantityValue(a.memory) : 0,
      pods: a.pods !== undefined ? quantityValue(a.pods) : 0,
    };
    allocatableOf.set(node, v);
  }
  return v;
}

/** upstream's NodeResourcesFit filter for cpu, memory and pod slots; `r` is podRequests(pod). */
export function resourcesFit(r: { cpu: number; memory: number }, n: NodeInfo): string[] | undefined {
  const a = allocatable(n.node);
  const u = n.requested;
  let out: string[] | undefined;
  if (n.podCount + 1 > a.pods) (out ??= []).push('Too many pods');
  if (r.cpu > 0 && u.cpu + r.cpu > a.cpu) (out ??= []).push('Insufficient cpu');
  if (r.memory > 0 && u.memory + r.memory > a.memory) (out ??= []).push('Insufficient memory');
  return out;
}

export const hostPorts = (pod: Pod) => (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => `${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`));

export const nodePorts: Filter = (pod, n) => {
  const want = hostPorts(pod);
  if (!want.length) return undefined;
  const taken = new Set(n.pods.flatMap(hostPorts));
  const clash = want.some((w) => {
    const [proto, ip, port] = w.split('/');
    return [...taken].some((t) => {
      const [tp, tip, tport] = t.split('/');
      return tp === proto && tport === port && (ip === '0.0.0.0' || tip === '0.0.0.0' || ip === tip);
    });
  });
  return clash ? ["node(s) didn't have free ports for the requested pod ports"] : undefined;
};
