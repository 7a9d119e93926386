import type { KObject } from '../types/index.ts';
import { behaviorInternal, conditionV1, encodeBehavior, metricSpecV1, metricStatusV1, parseShape } from './hpa-v1-shapes.ts';

/**
 * autoscaling/v1 HPA ⇄ v2 (the storage version), as upstream converts. v1 carries only the CPU
 * utilization target and figure in its fields; everything else v2 has rides in annotations so a
 * v1 client that reads and writes an HPA back loses nothing:
 * - `…/metrics`: the metrics other than a CPU utilization target, in v1's MetricSpec shape;
 * - `…/current-metrics`: all current metrics (v1's MetricStatus), which win over the CPU field;
 * - `…/behavior`: the behavior, in the internal type's JSON (Go field names);
 * - `…/conditions`: the conditions.
 * An annotation that is not JSON of its type is ignored, never an error; the four annotations
 * never reach storage, and a v2 client neither sees nor sets them.
 * Spec metrics from the annotation come first and the CPU target last (v1 keeps no position).
 */

export const metricsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
export const currentMetricsAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const behaviorAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';
export const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
const roundTrip = [metricsAnnotation, currentMetricsAnnotation, behaviorAnnotation, conditionsAnnotation];

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const def = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const cpuDefault = () => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } });

/** DropRoundTripHorizontalPodAutoscalerAnnotations, as the metadata to keep. */
export function withoutRoundTripAnnotations<M extends { annotations?: Record<string, string> }>(metadata: M): M {
  const a = metadata.annotations;
  if (!a || !roundTrip.some((k) => k in a)) return metadata;
  const rest = Object.fromEntries(Object.entries(a).filter(([k]) => !roundTrip.includes(k)));
  const { annotations: _a, ...out } = metadata;
  return (Object.keys(rest).length ? { ...out, annotations: rest } : out) as M;
}

/** v2 as served and stored: round-trip annotations dropped. */
export function hpaV2Plain(o: KObject): KObject {
  const metadata = withoutRoundTripAnnotations(o.metadata ?? {});
  return metadata === o.metadata ? o : { ...o, metadata };
}

const ref = (r: any) => (r ? def({ kind: r.kind, name: r.name, apiVersion: r.apiVersion }) : undefined);
const identifier = (name: unknown, selector: unknown) => def({ name: name ?? '', selector });

/** Each v1 source present converts, whatever `type` says (validation judges the result). */
function specFromV1(m: any): any {
  const out: any = def({ type: m.type });
  const resourceTarget = (s: any) => def({ type: s.targetAverageUtilization !== undefined ? 'Utilization' : 'AverageValue', averageUtilization: s.targetAverageUtilization, averageValue: s.targetAverageValue });
  if (m.resource) out.resource = { name: m.resource.name ?? '', target: resourceTarget(m.resource) };
  if (m.containerResource) out.containerResource = { name: m.containerResource.name ?? '', container: m.containerResource.container ?? '', target: resourceTarget(m.containerResource) };
  if (m.pods) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), target: def({ type: 'AverageValue', averageValue: m.pods.targetAverageValue }) };
  if (m.object) {
    const o = m.object;
    out.object = { describedObject: ref(o.target) ?? {}, metric: identifier(o.metricName, o.selector), target: def({ type: o.averageValue === undefined ? 'Value' : 'AverageValue', value: o.targetValue, averageValue: o.averageValue }) };
  }
  if (m.external) {
    const e = m.external;
    out.external = { metric: identifier(e.metricName, e.metricSelector), target: def({ type: e.targetValue === undefined ? 'AverageValue' : 'Value', value: e.targetValue, averageValue: e.targetAverageValue }) };
  }
  return out;
}

function specToV1(m: any): any {
  const out: any = def({ type: m?.type });
  const t = (s: any) => s?.target ?? {};
  if (m?.resource) out.resource = def({ name: m.resource.name, targetAverageUtilization: t(m.resource).averageUtilization, targetAverageValue: t(m.resource).averageValue });
  if (m?.containerResource) {
    const c = m.containerResource;
    out.containerResource = def({ name: c.name, targetAverageUtilization: t(c).averageUtilization, targetAverageValue: t(c).averageValue, container: c.container });
  }
  if (m?.pods) out.pods = def({ metricName: m.pods.metric?.name, targetAverageValue: t(m.pods).averageValue, selector: m.pods.metric?.selector });
  if (m?.object) {
    const o = m.object;
    out.object = def({ target: ref(o.describedObject), metricName: o.metric?.name, targetValue: t(o).value, selector: o.metric?.selector, averageValue: t(o).averageValue });
  }
  if (m?.external) {
    const e = m.external;
    out.external = def({ metricName: e.metric?.name, metricSelector: e.metric?.selector, targetValue: t(e).value, targetAverageValue: t(e).averageValue });
  }
  return out;
}

function statusFromV1(m: any): any {
  const out: any = def({ type: m.type });
  const cur = (s: any) => def({ averageUtilization: s.currentAverageUtilization, averageValue: s.currentAverageValue });
  if (m.resource) out.resource = { name: m.resource.name ?? '', current: cur(m.resource) };
  if (m.containerResource) out.containerResource = { name: m.containerResource.name ?? '', container: m.containerResource.container ?? '', current: cur(m.containerResource) };
  if (m.pods) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), current: def({ averageValue: m.pods.currentAverageValue }) };
  if (m.object) {
    const o = m.object;
    out.object = { describedObject: ref(o.target) ?? {}, metric: identifier(o.metricName, o.selector), current: def({ value: o.currentValue, averageValue: o.averageValue }) };
  }
  if (m.external) {
    const e = m.external;
    out.external = { metric: identifier(e.metricName, e.metricSelector), current: def({ value: e.currentValue, averageValue: e.currentAverageValue }) };
  }
  return out;
}

function statusToV1(m: any): any {
  const out: any = def({ type: m?.type });
  const c = (s: any) => s?.current ?? {};
  if (m?.resource) out.resource = def({ name: m.resource.name, currentAverageUtilization: c(m.resource).averageUtilization, currentAverageValue: c(m.resource).averageValue });
  if (m?.containerResource) {
    const r = m.containerResource;
    out.containerResource = def({ name: r.name, currentAverageUtilization: c(r).averageUtilization, currentAverageValue: c(r).averageValue, container: r.container });
  }
  if (m?.pods) out.pods = def({ metricName: m.pods.metric?.name, currentAverageValue: c(m.pods).averageValue, selector: m.pods.metric?.selector });
  if (m?.object) {
    const o = m.object;
    out.object = def({ target: ref(o.describedObject), metricName: o.metric?.name, currentValue: c(o).value, selector: o.metric?.selector, averageValue: c(o).averageValue });
  }
  if (m?.external) {
    const e = m.external;
    out.external = def({ metricName: e.metric?.name, metricSelector: e.metric?.selector, currentValue: c(e).value, currentAverageValue: c(e).averageValue });
  }
  return out;
}

const isCpuUtilizationTarget = (m: any) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.averageUtilization !== undefined;
const isCpu = (m: any) => m?.type === 'Resource' && m.resource?.name === 'cpu';

/** autoscaling/v1 → v2. */
export function hpaV1ToV2(o: KObject): KObject {
  const { targetCPUUtilizationPercentage, ...spec } = (o.spec ?? {}) as any;
  const { currentCPUUtilizationPercentage, ...status } = (o.status ?? {}) as any;
  const annotations = o.metadata?.annotations ?? {};
  const read = (key: string, shape: Parameters<typeof parseShape>[0]) => (typeof annotations[key] === 'string' ? parseShape(shape, annotations[key]) : undefined);

  const others = read(metricsAnnotation, { list: metricSpecV1 }) as any[] | undefined;
  const cpu = targetCPUUtilizationPercentage !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage } } }] : [];
  const metrics = [...(others ?? []).map(specFromV1), ...cpu];
  const behavior = read(behaviorAnnotation, behaviorInternal) as any;
  const hasBehavior = behavior && (behavior.scaleUp || behavior.scaleDown);

  const current = read(currentMetricsAnnotation, { list: metricStatusV1 }) as any[] | undefined;
  const conditions = read(conditionsAnnotation, { list: conditionV1 }) as any[] | undefined;
  const currentMetrics = current ? current.map(statusFromV1)
    : currentCPUUtilizationPercentage !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCPUUtilizationPercentage } } }] : undefined;
  const statusOut = { ...status, ...(currentMetrics?.length ? { currentMetrics } : {}), ...(conditions?.length ? { conditions } : {}) };

  return {
    ...o, apiVersion: 'autoscaling/v2', metadata: withoutRoundTripAnnotations(o.metadata ?? {}),
    spec: { ...spec, metrics: metrics.length ? metrics : [cpuDefault()], ...(hasBehavior ? { behavior } : {}) },
    ...(o.status !== undefined || Object.keys(statusOut).length ? { status: statusOut } : {}),
  };
}

/** v2 → autoscaling/v1. */
export function hpaV2ToV1(o: KObject): KObject {
  const { metrics, behavior, ...spec } = (o.spec ?? {}) as any;
  const { currentMetrics, conditions, ...status } = (o.status ?? {}) as any;
  const cpu = arr(metrics).find(isCpuUtilizationTarget);
  const others = arr(metrics).filter((m) => !isCpuUtilizationTarget(m));
  // The last CPU figure wins, as upstream's status conversion has it.
  const currentCpu = arr(currentMetrics).filter((m) => isCpu(m) && m.resource.current?.averageUtilization !== undefined).at(-1);
  const annotations: Record<string, string> = { ...withoutRoundTripAnnotations(o.metadata ?? {}).annotations };
  if (others.length) annotations[metricsAnnotation] = JSON.stringify(others.map(specToV1));
  if (arr(currentMetrics).length) annotations[currentMetricsAnnotation] = JSON.stringify(arr(currentMetrics).map(statusToV1));
  if (behavior && typeof behavior === 'object') annotations[behaviorAnnotation] = encodeBehavior(behavior);
  if (arr(conditions).length) annotations[conditionsAnnotation] = JSON.stringify(conditions);
  const { annotations: _a, ...meta } = o.metadata ?? {};
  return {
    ...o, apiVersion: 'autoscaling/v1',
    metadata: { ...meta, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: { ...spec, ...(cpu ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization } : {}) },
    ...(o.status !== undefined ? { status: { ...status, ...(currentCpu ? { currentCPUUtilizationPercentage: currentCpu.resource.current.averageUtilization } : {}) } } : {}),
  };
}
