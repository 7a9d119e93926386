import type { ContainerMetrics, MetricsSummary, PodMetricsSummary, Usage, UsageWindow } from '../../api/tunnel/index.ts';
import { containerNameLabel, podNameLabel, podNamespaceLabel, podUidLabel } from '../pod/labels.ts';
import type { ContainerUsage } from '../runtime/index.ts';
import type { MachineSample } from './proc.ts';

/** The previous samples the next rates are computed against. */
export interface Samples {
  containers: ContainerUsage[];
  machine?: MachineSample;
}

/**
 * Usage between two samples of one cumulative CPU counter: undefined when there is no earlier
 * sample, time did not advance, or the counter went backwards (a different container behind
 * the same id cannot happen, but a counter reset must not show as a huge negative rate).
 */
export function rate(prev: { timestamp: number; cpuUsageNanoSeconds: number } | undefined, cur: { timestamp: number; cpuUsageNanoSeconds: number; memoryWorkingSetBytes: number }): (Usage & UsageWindow) | undefined {
  if (!prev) return undefined;
  const windowMs = cur.timestamp - prev.timestamp;
  const used = cur.cpuUsageNanoSeconds - prev.cpuUsageNanoSeconds;
  if (windowMs <= 0 || used < 0) return undefined;
  return { timestamp: cur.timestamp, windowMs, cpuNanoCores: Math.round((used / windowMs) * 1e3), memoryWorkingSetBytes: cur.memoryWorkingSetBytes };
}

/**
 * The summary from two rounds of samples: per container the CPU rate over its own window and
 * the newer working set, grouped by pod (from the container labels the agent sets); a pod's time
 * and window are those of its newest container sample. Containers seen only once are left out.
 */
export function summarize(node: string, prev: Samples, cur: Samples): MetricsSummary {
  const before = new Map(prev.containers.map((c) => [c.id, c]));
  const pods = new Map<string, PodMetricsSummary>();
  for (const c of cur.containers) {
    const uid = c.labels[podUidLabel];
    const name = c.labels[containerNameLabel];
    const r = rate(before.get(c.id), c);
    if (!uid || !name || !r) continue;
    let pod = pods.get(uid);
    if (!pod) {
      pod = { namespace: c.labels[podNamespaceLabel] ?? '', name: c.labels[podNameLabel] ?? '', uid, timestamp: r.timestamp, windowMs: r.windowMs, containers: [] };
      pods.set(uid, pod);
    } else if (r.timestamp > pod.timestamp) {
      pod.timestamp = r.timestamp;
      pod.windowMs = r.windowMs;
    }
    const m: ContainerMetrics = { name, cpuNanoCores: r.cpuNanoCores, memoryWorkingSetBytes: r.memoryWorkingSetBytes };
    pod.containers.push(m);
  }
  for (const p of pods.values()) p.containers.sort((a, b) => a.name.localeCompare(b.name));
  const machine = cur.machine ? rate(prev.machine, cur.machine) : undefined;
  return { node, ...(machine ? { usage: machine } : {}), pods: [...pods.values()] };
}
