import { EventRecorder, keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import type { ResourceDef } from '../api/resource.ts';
import type { autoscalingV2, core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { ScaleHistory, type Behavior } from './hpa-behavior.ts';
import { computeReplicas, type MetricReader } from './hpa-metrics.ts';
import { defaultCalculatorConfig } from './hpa-replicas.ts';
import { setCondition, stamp, type HpaCondition } from './hpa-status.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Hpa = autoscalingV2.HorizontalPodAutoscaler & KObject;
type Pod = core.Pod & KObject;
interface Scale extends KObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

export interface HpaOptions {
  /** The clock for stabilization windows, rate policies and timestamps. */
  now?: () => number;
  /** How often every HPA is evaluated (--horizontal-pod-autoscaler-sync-period, 15 s). */
  syncPeriodMs?: number;
  /** --horizontal-pod-autoscaler-tolerance (0.1). */
  tolerance?: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (5 min), for HPAs without a behavior. */
  downscaleStabilizationMs?: number;
}

const kind = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' };

/**
 * The horizontal pod autoscaler (kube-controller-manager's): every sync period each HPA reads its
 * target's scale subresource (Deployment, ReplicaSet, StatefulSet, or any kind with one), the
 * target's pods and their PodMetrics, proposes a replica count per metric (the largest wins),
 * stabilizes and rate-limits it (behavior, or the 5-minute downscale window without one), writes
 * the new count to the scale subresource (event SuccessfulRescale) and reports status with the
 * AbleToScale, ScalingActive and ScalingLimited conditions as upstream words them.
 */
export function horizontalPodAutoscalerController(client: Client, informers: InformerFactory, resources: ResourceDef[], log: Logger, opts: HpaOptions = {}): Component {
  const now = opts.now ?? Date.now;
  const hpas = informers.informer<Hpa>('autoscaling/v2', 'horizontalpodautoscalers');
  const queue = new WorkQueue();
  const events = new EventRecorder(client, { component: 'horizontal-pod-autoscaler' }, log, now);
  const history = new ScaleHistory(opts.downscaleStabilizationMs);
  const hpaClient = client.resource<Hpa>('autoscaling/v2', 'horizontalpodautoscalers');
  const cfg = { ...defaultCalculatorConfig, ...(opts.tolerance !== undefined ? { tolerance: opts.tolerance } : {}) };
  let resync: NodeJS.Timeout | undefined;

  hpas.onAdd((h) => queue.add(keyOf(h)));
  // Status writes (ours) must not re-run the arithmetic early; a changed spec is looked at at once.
  hpas.onUpdate((o, h) => {
    if (o.metadata.generation !== h.metadata.generation || JSON.stringify(o.spec) !== JSON.stringify(h.spec)) queue.add(keyOf(h));
  });
  hpas.onDelete((h) => history.forget(keyOf(h)));

  const reader: MetricReader = {
    pods: async (ns, selector) => (await client.resource<Pod>('v1', 'pods').list(ns, { labelSelector: selector })).items,
    podMetrics: async (ns, selector) => {
      try {
        return (await client.resource('metrics.k8s.io/v1beta1', 'pods').list(ns, { labelSelector: selector })).items;
      } catch (err) {
        throw new Error(`unable to fetch metrics from resource metrics API: ${(err as Error).message}`);
      }
    },
  };

  async function reconcile(key: string): Promise<void> {
    const cached = hpas.get(key);
    if (!cached || cached.metadata.deletionTimestamp) return;
    const hpa = structuredClone(cached);
    const t = now();
    const ns = hpa.metadata.namespace!;
    const spec = hpa.spec!;
    const ref = spec.scaleTargetRef;
    const reference = `${ref.kind}/${ns}/${ref.name}`;
    const conditions: HpaCondition[] = structuredClone((hpa.status?.conditions ?? []) as HpaCondition[]);
    const set = (type: string, ok: boolean, reason: string, message: string) => setCondition(conditions, type, ok, reason, message, t);
    const warn = (reason: string, message: string) => events.record(hpa, { type: 'Warning', reason, message }, undefined, kind);
    const write = (s: Partial<autoscalingV2.HorizontalPodAutoscalerStatus>) =>
      writeStatus(hpa, { ...hpa.status, desiredReplicas: hpa.status?.desiredReplicas ?? 0, ...s, conditions: conditions as autoscalingV2.HorizontalPodAutoscalerCondition[] });

    const target = scaleTarget(ref.apiVersion, ref.kind);
    let scale: Scale;
    try {
      if (typeof target === 'string') throw new Error(target);
      scale = (await client.resource(target.apiVersion, target.plural).getSubresource(ns, ref.name, 'scale')) as Scale;
    } catch (err) {
      const msg = (err as Error).message;
      set('AbleToScale', false, 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`);
      warn('FailedGetScale', msg);
      await write({});
      return;
    }
    set('AbleToScale', true, 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale');
    const current = scale.spec?.replicas ?? 0;
    const min = spec.minReplicas ?? 1;
    let desired = 0;
    let reason = '';
    let rescale = true;
    let metricStatuses = (hpa.status?.currentMetrics ?? []) as autoscalingV2.MetricStatus[];

    if (current === 0 && min !== 0) {
      rescale = false;
      set('ScalingActive', false, 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (current > spec.maxReplicas) {
      reason = 'Current number of replicas above Spec.MaxReplicas';
      desired = spec.maxReplicas;
    } else if (current < min) {
      reason = 'Current number of replicas below Spec.MinReplicas';
      desired = min;
    } else {
      const r = await computeReplicas({ hpa, scale: { replicas: current, statusReplicas: scale.status?.replicas ?? 0, selector: scale.status?.selector }, reader, cfg: { ...cfg, now: t }, set, warn });
      metricStatuses = r.statuses;
      if (r.replicas === -1) {
        await write({ currentReplicas: current, currentMetrics: metricStatuses });
        warn('FailedComputeMetricsReplicas', r.error!);
        log.debug('hpa could not compute replicas', { hpa: key, target: reference, err: r.error });
        return;
      }
      desired = r.replicas;
      if (desired > current) reason = `${r.metric} above target`;
      if (desired < current) reason = 'All metrics below target';
      const bounds = { current, desired, min, max: spec.maxReplicas };
      const n = spec.behavior ? history.normalizeWithBehavior(key, spec.behavior as Behavior, bounds, t) : history.normalize(key, bounds, t);
      set('AbleToScale', true, n.able.reason, n.able.message);
      set('ScalingLimited', n.limited.status, n.limited.reason, n.limited.message);
      desired = n.replicas;
      rescale = desired !== current;
    }

    let lastScaleTime = hpa.status?.lastScaleTime;
    if (rescale) {
      try {
        const { apiVersion, plural } = target as { apiVersion: string; plural: string };
        await client.resource(apiVersion, plural).updateSubresource(ns, { ...scale, spec: { ...scale.spec, replicas: desired } }, 'scale');
      } catch (err) {
        const msg = (err as Error).message;
        set('AbleToScale', false, 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`);
        warn('FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${msg}`);
        await write({ currentReplicas: current, currentMetrics: metricStatuses });
        return;
      }
      set('AbleToScale', true, 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      events.record(hpa, { type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${desired}; reason: ${reason}` }, undefined, kind);
      history.recordScale(key, spec.behavior as Behavior | undefined, current, desired, t);
      lastScaleTime = stamp(t);
      log.info('rescaled', { hpa: key, target: reference, from: current, to: desired, reason });
    } else desired = current;
    await writeStatus(hpa, {
      currentReplicas: current, desiredReplicas: desired, ...(lastScaleTime ? { lastScaleTime } : {}),
      ...(metricStatuses.length ? { currentMetrics: metricStatuses } : {}), conditions: conditions as autoscalingV2.HorizontalPodAutoscalerCondition[],
    });
  }

  /** The API resource behind a scaleTargetRef, or upstream's message when there is none with a scale subresource. */
  function scaleTarget(apiVersion: string | undefined, k: string): { apiVersion: string; plural: string } | string {
    const [group, version] = (apiVersion ?? '').includes('/') ? apiVersion!.split('/') : ['', apiVersion ?? ''];
    const def = resources.find((d) => d.group === group && (!version || d.version === version) && d.kind === k && d.subresources?.some((s) => s.name === 'scale'));
    if (!def) return `unable to determine resource for scale target reference: no matches for kind "${k}" in group "${group}"`;
    return { apiVersion: def.group ? `${def.group}/${def.version}` : def.version, plural: def.plural };
  }

  async function writeStatus(hpa: Hpa, status: autoscalingV2.HorizontalPodAutoscalerStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(hpa.status ?? {})) return;
    await hpaClient.updateStatus(hpa.metadata.namespace, { ...hpa, status });
  }

  const loop = controllerLoop('horizontal-pod-autoscaler', queue, reconcile, log);
  return {
    name: 'horizontal-pod-autoscaler',
    async start(signal) {
      await loop.start(signal);
      resync = setInterval(() => {
        for (const h of hpas.list()) queue.add(keyOf(h));
      }, opts.syncPeriodMs ?? 15_000);
      resync.unref();
    },
    async stop() {
      clearInterval(resync);
      await loop.stop?.();
    },
  };
}
