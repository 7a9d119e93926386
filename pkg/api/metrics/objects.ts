import type { Usage, UsageWindow } from '../tunnel/index.ts';
import type { KObject } from '../types/index.ts';

export const metricsGroup = 'metrics.k8s.io';
export const metricsApiVersion = 'metrics.k8s.io/v1beta1';

/** CPU as metrics-server prints it: nano-cores, in millicores when that is exact. */
export function cpuQuantity(nanoCores: number): string {
  const n = Math.max(0, Math.round(nanoCores));
  if (n === 0) return '0';
  return n % 1e6 === 0 ? `${n / 1e6}m` : `${n}n`;
}

/** Bytes in the largest binary suffix that is exact (a working set is whole pages: Ki at least). */
export function memoryQuantity(bytes: number): string {
  let n = Math.max(0, Math.round(bytes));
  if (n === 0) return '0';
  const suffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let i = 0;
  while (i < suffixes.length - 1 && n % 1024 === 0) {
    n /= 1024;
    i++;
  }
  return `${n}${suffixes[i]}`;
}

/** A Go time.Duration's text (metav1.Duration on the wire): `15s`, `15.012s`, `1m0.5s`. */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number(s.toFixed(3))}s`;
  if (h) return `${h}h${m}m${sec}`;
  if (m) return `${m}m${sec}`;
  return sec;
}

const seconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function meta(source: KObject, now: Date): KObject['metadata'] {
  const labels = source.metadata.labels;
  return {
    name: source.metadata.name,
    ...(source.metadata.namespace ? { namespace: source.metadata.namespace } : {}),
    creationTimestamp: seconds(now.getTime()),
    ...(labels && Object.keys(labels).length ? { labels: { ...labels } } : {}),
  };
}

const usage = (u: Usage) => ({ cpu: cpuQuantity(u.cpuNanoCores), memory: memoryQuantity(u.memoryWorkingSetBytes) });

/** NodeMetrics of `node` (its labels copied, as metrics-server does for selectors). */
export function nodeMetrics(node: KObject, u: Usage & UsageWindow, now: Date): KObject {
  return { kind: 'NodeMetrics', apiVersion: metricsApiVersion, metadata: meta(node, now), timestamp: seconds(u.timestamp), window: goDuration(u.windowMs), usage: usage(u) };
}

export function podMetrics(pod: KObject, w: UsageWindow, containers: (Usage & { name: string })[], now: Date): KObject {
  return {
    kind: 'PodMetrics', apiVersion: metricsApiVersion, metadata: meta(pod, now), timestamp: seconds(w.timestamp), window: goDuration(w.windowMs),
    containers: containers.map((c) => ({ name: c.name, usage: usage(c) })),
  };
}
