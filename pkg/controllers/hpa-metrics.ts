import { quantityMilli } from '../api/quantity.ts';
import type { autoscalingV2, core, KObject } from '../api/types/index.ts';
import { podMetricsFrom, resourceReplicas, type CalculatorConfig } from './hpa-replicas.ts';
import { milliQuantity } from './hpa-status.ts';

type Hpa = autoscalingV2.HorizontalPodAutoscaler & KObject;
type Pod = core.Pod & KObject;
type MetricSpec = autoscalingV2.MetricSpec;
type MetricStatus = autoscalingV2.MetricStatus;

/** Where the HPA reads the target's pods and their PodMetrics (the API, through the controller's client). */
export interface MetricReader {
  pods(namespace: string, selector: string): Promise<Pod[]>;
  /** Throws with upstream's "unable to fetch metrics from resource metrics API: …" wording. */
  podMetrics(namespace: string, selector: string): Promise<KObject[]>;
}

export interface ComputeArgs {
  hpa: Hpa;
  scale: { replicas: number; statusReplicas: number; selector?: string };
  reader: MetricReader;
  cfg: CalculatorConfig;
  set(type: string, ok: boolean, reason: string, message: string): void;
  warn(reason: string, message: string): void;
}

export interface Computed {
  /** -1 when no proposal can be acted on (then `error` says why). */
  replicas: number;
  metric: string;
  /** One per metric spec, in order; `{type: ""}` for a metric that failed, as upstream. */
  statuses: MetricStatus[];
  /** Set when some metric failed, even if the others gave a proposal. */
  error?: string;
}

/** A metric that could not be evaluated: the ScalingActive condition it implies and the error to report. */
class MetricFailure extends Error {
  constructor(message: string, readonly reason: string, readonly conditionMessage: string) {
    super(message);
  }
}

/** An HPA without metrics (an autoscaling/v1 one without a CPU target) gets upstream's 80% CPU. */
const defaultMetrics: MetricSpec[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];

/**
 * upstream's computeReplicasForMetrics: a proposal per metric, the largest wins. If every metric
 * failed, or some failed and the others would scale down, nothing is proposed (-1) and
 * ScalingActive is False with the first failure; otherwise ScalingActive is True.
 */
export async function computeReplicas(a: ComputeArgs): Promise<Computed> {
  const { hpa, scale } = a;
  if (!scale.selector) {
    a.warn('SelectorRequired', 'selector is required');
    a.set('ScalingActive', false, 'InvalidSelector', 'the HPA target\'s scale is missing a selector');
    return { replicas: -1, metric: '', statuses: [], error: 'selector is required' };
  }
  const specs = hpa.spec?.metrics?.length ? hpa.spec.metrics : defaultMetrics;
  const statuses: MetricStatus[] = specs.map(() => ({ type: '' }) as MetricStatus);
  let pods: Promise<Pod[]> | undefined;
  const ctx = { ...a, selector: scale.selector, pods: () => (pods ??= a.reader.pods(hpa.metadata.namespace!, scale.selector!)) };
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let first: MetricFailure | undefined;
  for (const [i, spec] of specs.entries()) {
    try {
      const p = await proposeFor(ctx, spec);
      statuses[i] = p.status;
      if (replicas === 0 || p.replicas > replicas) {
        replicas = p.replicas;
        metric = p.metric;
      }
    } catch (err) {
      const f = err instanceof MetricFailure ? err : new MetricFailure((err as Error).message, 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${(err as Error).message}`);
      first ??= f;
      invalid++;
    }
  }
  const error = first ? `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.message}` : undefined;
  if (first && (invalid >= specs.length || replicas < scale.replicas)) {
    a.set('ScalingActive', false, first.reason, first.conditionMessage);
    return { replicas: -1, metric: '', statuses, error };
  }
  a.set('ScalingActive', true, 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
  return { replicas, metric, statuses, ...(error ? { error } : {}) };
}

type Ctx = ComputeArgs & { selector: string; pods(): Promise<Pod[]> };

async function proposeFor(ctx: Ctx, spec: MetricSpec): Promise<{ replicas: number; metric: string; status: MetricStatus }> {
  if (spec.type === 'Resource' || spec.type === 'ContainerResource') {
    const container = spec.type === 'ContainerResource';
    const src = container ? spec.containerResource! : spec.resource!;
    const c = container ? spec.containerResource!.container : undefined;
    try {
      return await resourceProposal(ctx, src.name, src.target, c);
    } catch (err) {
      if (!(err instanceof MetricFailure)) throw err;
      throw new MetricFailure(`failed to get ${src.name} ${container ? 'container' : 'resource'} metric value: ${err.message}`, err.reason, err.conditionMessage);
    }
  }
  // skiff serves no custom or external metrics API; say so as upstream does when none is registered.
  const what = spec.type === 'Pods' ? 'pods' : spec.type === 'Object' ? 'object' : spec.type === 'External' ? 'external' : undefined;
  if (!what) {
    const message = `unknown metric source type "${spec.type}"`;
    ctx.warn('InvalidMetricSourceType', message);
    throw new MetricFailure(message, 'InvalidMetricSourceType', `the HPA was unable to compute the replica count: ${message}`);
  }
  const api = what === 'external' ? 'external' : 'custom';
  const inner = `unable to fetch metrics from ${api} metrics API: the server could not find the requested resource`;
  const reason = `FailedGet${spec.type}Metric`;
  ctx.warn(reason, inner);
  throw new MetricFailure(`failed to get ${what} metric value: ${inner}`, reason, `the HPA was unable to compute the replica count: ${inner}`);
}

async function resourceProposal(ctx: Ctx, name: string, target: autoscalingV2.MetricTarget, container: string | undefined): Promise<{ replicas: number; metric: string; status: MetricStatus }> {
  const reason = container ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
  const fail = (inner: string, what: string) => {
    ctx.warn(reason, inner);
    return new MetricFailure(`failed to get ${name} ${what}: ${inner}`, reason, `the HPA was unable to compute the replica count: ${inner}`);
  };
  const averageValue = target.averageValue !== undefined ? quantityMilli(target.averageValue) : undefined;
  if (averageValue === undefined && target.averageUtilization === undefined) {
    const inner = 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set';
    ctx.warn(reason, inner);
    throw new MetricFailure(inner, reason, `the HPA was unable to compute the replica count: ${inner}`);
  }
  const what = averageValue !== undefined ? 'usage' : 'utilization';
  let proposal;
  try {
    let metrics;
    try {
      metrics = podMetricsFrom(await ctx.reader.podMetrics(ctx.hpa.metadata.namespace!, ctx.selector), name, container);
      if (metrics.size === 0) throw new Error('no metrics returned from resource metrics API');
    } catch (err) {
      throw new Error(`unable to get metrics for resource ${name}: ${(err as Error).message}`);
    }
    const want = averageValue !== undefined ? { average: averageValue } : { utilization: target.averageUtilization! };
    proposal = resourceReplicas(ctx.scale.replicas, want, name, await ctx.pods(), metrics, ctx.cfg, container);
  } catch (err) {
    throw fail((err as Error).message, what);
  }
  const label = container ? `${name} container resource` : `${name} resource`;
  const current = averageValue !== undefined ? { averageValue: milliQuantity(proposal.average) } : { averageUtilization: proposal.utilization!, averageValue: milliQuantity(proposal.average) };
  const status = (container
    ? { type: 'ContainerResource', containerResource: { name, container, current } }
    : { type: 'Resource', resource: { name, current } }) as MetricStatus;
  return { replicas: proposal.replicas, metric: averageValue !== undefined ? label : `${label} utilization (percentage of request)`, status };
}
