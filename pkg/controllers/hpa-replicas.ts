import { quantityMilli } from '../api/quantity.ts';
import type { core, KObject } from '../api/types/index.ts';

type Pod = core.Pod & KObject;

/**
 * The HPA's replica calculator (upstream's replica_calculator.go) for Resource metrics: pure
 * arithmetic over the target's pods and their PodMetrics. Values are milli-units (millicores,
 * thousandths of a byte), as upstream's MilliValue(). Errors carry upstream's wording; the
 * controller turns them into conditions and events.
 */

/** One pod's usage of a resource, summed over its containers (or the one container asked for). */
export interface PodMetric {
  value: number;
  timestamp: number;
  windowMs: number;
}

export interface CalculatorConfig {
  /** Ratios within 1 ± tolerance change nothing (--horizontal-pod-autoscaler-tolerance, 0.1). */
  tolerance: number;
  /** CPU samples of a pod this young are trusted only once taken wholly after it became ready (5 min). */
  cpuInitializationPeriodMs: number;
  /** A pod unready this soon after starting has never been ready (30 s). */
  initialReadinessDelayMs: number;
  now: number;
}

export const defaultCalculatorConfig = { tolerance: 0.1, cpuInitializationPeriodMs: 5 * 60_000, initialReadinessDelayMs: 30_000 };

/** Usage per pod name from PodMetrics items; a pod missing the resource in any container is left out. */
export function podMetricsFrom(items: KObject[], resource: string, container?: string): Map<string, PodMetric> {
  const out = new Map<string, PodMetric>();
  for (const m of items) {
    const containers = ((m as { containers?: { name: string; usage?: Record<string, string> }[] }).containers ?? []).filter((c) => !container || c.name === container);
    if (!containers.length) continue;
    let sum = 0;
    let missing = false;
    for (const c of containers) {
      const q = c.usage?.[resource];
      if (q === undefined) missing = true;
      else sum += quantityMilli(q);
    }
    if (missing) continue;
    const timestamp = Date.parse(String((m as { timestamp?: string }).timestamp ?? ''));
    out.set(m.metadata.name!, { value: sum, timestamp: Number.isFinite(timestamp) ? timestamp : 0, windowMs: parseWindow((m as { window?: string }).window) });
  }
  return out;
}

/** A Go duration as metrics-server writes it (`15s`, `1m0.5s`) in milliseconds; 0 when unreadable. */
export function parseWindow(s: string | undefined): number {
  if (!s) return 0;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}

interface Groups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/**
 * Sorts the target's pods as upstream's groupPods: deleted and failed pods are ignored; pending
 * ones are unready; pods without a sample are missing; for CPU, a pod not Ready, or still in its
 * initialization period with a sample that began before it became ready, is unready.
 */
export function groupPods(pods: Pod[], metrics: Map<string, PodMetric>, resource: string, cfg: CalculatorConfig): Groups {
  const g: Groups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      let unready: boolean;
      if (!ready || start === undefined) unready = true;
      else {
        const transition = Date.parse(ready.lastTransitionTime ?? '') || 0;
        unready = start + cfg.cpuInitializationPeriodMs > cfg.now
          ? ready.status === 'False' || metric.timestamp < transition + metric.windowMs
          : ready.status === 'False' && start + cfg.initialReadinessDelayMs > transition;
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** Each pod's request of `resource` (milli), summed over its containers; every container must request it. */
export function podRequests(pods: Pod[], resource: string, container?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      if (container && c.name !== container) continue;
      const q = c.resources?.requests?.[resource];
      if (q === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += quantityMilli(q);
    }
    out.set(pod.metadata.name!, sum);
  }
  return out;
}

/** Usage over requests of the pods that have both: the ratio to the target, the utilization (%) and the average usage. */
export function utilizationRatio(metrics: Map<string, PodMetric>, requests: Map<string, number>, targetUtilization: number): { ratio: number; utilization: number; average: number } {
  let used = 0;
  let requested = 0;
  let n = 0;
  for (const [name, m] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    used += m.value;
    requested += r;
    n++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((used * 100) / requested);
  return { ratio: utilization / targetUtilization, utilization, average: Math.trunc(used / n) };
}

function usageRatio(metrics: Map<string, PodMetric>, target: number): { ratio: number; average: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const average = Math.trunc(total / metrics.size);
  return { ratio: average / target, average };
}

export interface Proposal {
  replicas: number;
  /** Utilization in percent of requests (Utilization targets only). */
  utilization?: number;
  /** Average usage per pod, milli-units. */
  average: number;
  timestamp: number;
}

/**
 * Desired replicas for a Utilization (`targetUtilization` %) or AverageValue (`targetAverage`
 * milli-units) target, as upstream: ratio from ready pods with samples; within tolerance nothing
 * changes; otherwise, when pods are missing samples or unready ones could matter, the ratio is
 * recomputed assuming missing pods use 100% (scale-down) or 0 (scale-up) and unready ones 0, and
 * the change is dropped if that flips its direction or brings it within tolerance.
 */
export function resourceReplicas(currentReplicas: number, target: { utilization: number } | { average: number }, resource: string, pods: Pod[], fetched: Map<string, PodMetric>, cfg: CalculatorConfig, container?: string): Proposal {
  const metrics = new Map(fetched);
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, metrics, resource, cfg);
  for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const timestamp = Math.max(...[...metrics.values()].map((m) => m.timestamp));
  const requests = 'utilization' in target ? podRequests(pods, resource, container) : undefined;
  const ratioOf = (ms: Map<string, PodMetric>): { ratio: number; average: number; utilization?: number } => (requests && 'utilization' in target ? utilizationRatio(ms, requests, target.utilization) : usageRatio(ms, (target as { average: number }).average));
  const first = ratioOf(metrics);
  const out = { average: first.average, timestamp, ...(first.utilization !== undefined ? { utilization: first.utilization } : {}) };
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= cfg.tolerance) return { replicas: currentReplicas, ...out };
    return { replicas: Math.ceil(first.ratio * g.readyPodCount), ...out };
  }
  for (const name of g.missing) {
    if (first.ratio < 1) {
      const value = requests && 'utilization' in target ? Math.trunc((requests.get(name)! * Math.max(100, target.utilization)) / 100) : (target as { average: number }).average;
      metrics.set(name, { value, timestamp, windowMs: 0 });
    } else if (first.ratio > 1) metrics.set(name, { value: 0, timestamp, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { value: 0, timestamp, windowMs: 0 });
  const second = ratioOf(metrics).ratio;
  if (Math.abs(1 - second) <= cfg.tolerance || (first.ratio < 1 && second > 1) || (first.ratio > 1 && second < 1)) return { replicas: currentReplicas, ...out };
  const replicas = Math.ceil(second * metrics.size);
  if ((second < 1 && replicas > currentReplicas) || (second > 1 && replicas < currentReplicas)) return { replicas: currentReplicas, ...out };
  return { replicas, ...out };
}
