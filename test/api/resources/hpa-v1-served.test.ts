import { describe, expect, it } from 'vitest';
import { behaviorAnnotation, conditionsAnnotation, currentMetricsAnnotation, metricsAnnotation } from '../../../pkg/api/resources/hpa-v1.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { failure, take } from '../registry/fixtures.ts';
import { def, invalidCreate, realCluster } from './helpers.ts';

// The autoscaling/v1 view of the v2-stored HPA on every verb, through the real registry.

const v1 = def('autoscaling', 'v1', 'horizontalpodautoscalers');
const v2 = def('autoscaling', 'v2', 'horizontalpodautoscalers');
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const external = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '3' } } };
const cpu = (n: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: n } } });
const condition = { type: 'ScalingActive', status: 'True', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'ValidMetricFound', message: 'ok' };
const conditions = [condition];
const currentMetrics = [{ type: 'External', external: { metric: { name: 'queue' }, current: { averageValue: '4' } } }, { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 33, averageValue: '66m' } } }];
const spec = (o: KObject) => o.spec as any;
const annotations = (o: KObject) => o.metadata.annotations ?? {};

/** A v2 HPA with everything v1 has no field for, and a status as the controller writes it. */
async function rich() {
  const c = await realCluster();
  await c.create(v2, 'default', { metadata: { name: 'web', annotations: { team: 'a' } }, spec: { scaleTargetRef: ref, maxReplicas: 5, metrics: [external, cpu(60)], behavior: { scaleDown: { stabilizationWindowSeconds: 30 } } } });
  const stored = await c.get(v2, 'default', 'web');
  await c.update(v2, 'default', { ...stored, status: { currentReplicas: 1, desiredReplicas: 1, currentMetrics, conditions } }, { subresource: 'status' });
  return { c, before: await c.get(v2, 'default', 'web') };
}

describe('autoscaling/v1 HorizontalPodAutoscaler', () => {
  it('get, list and watch serve the v1 shape with the annotations', async () => {
    const { c } = await rich();
    const got = await c.get(v1, 'default', 'web');
    expect(got.apiVersion).toBe('autoscaling/v1');
    expect(spec(got)).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60 });
    expect(got.status).toEqual({ currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 33 });
    expect(Object.keys(annotations(got)).sort()).toEqual([behaviorAnnotation, conditionsAnnotation, currentMetricsAnnotation, metricsAnnotation, 'team']);
    expect(JSON.parse(annotations(got)[metricsAnnotation]!)).toEqual([{ type: 'External', external: { metricName: 'queue', targetAverageValue: '3' } }]);
    const listed = await c.list(v1, 'default');
    expect(listed.items).toEqual([got]);
    const [added] = await take(await c.watch(v1, 'default'), 1);
    expect(added!.object).toEqual(got);
  });

  it('a v1 read written back (update, merge patch) loses nothing of the v2 object', async () => {
    const { c, before } = await rich();
    const got = await c.get(v1, 'default', 'web');
    await c.update(v1, 'default', got);
    expect(await c.get(v2, 'default', 'web')).toEqual(before);
    await c.patch(v1, 'default', 'web', { spec: { maxReplicas: 7 } });
    const after = await c.get(v2, 'default', 'web');
    expect(spec(after)).toEqual({ ...spec(before), maxReplicas: 7 });
    expect(after.status).toEqual(before.status);
  });

  it('a v2 client neither sees nor sets the round-trip annotations', async () => {
    const { c, before } = await rich();
    expect(annotations(before)).toEqual({ team: 'a' });
    await c.patch(v2, 'default', 'web', { metadata: { annotations: { [metricsAnnotation]: '[{"type":"Pods"}]', [conditionsAnnotation]: '[]' } } });
    const after = await c.get(v2, 'default', 'web');
    expect(annotations(after)).toEqual({ team: 'a' });
    expect(spec(after).metrics).toEqual([external, cpu(60)]);
  });

  it('a v1 write that changes the CPU target keeps the other metrics; a main write keeps the status', async () => {
    const { c, before } = await rich();
    const got = await c.get(v1, 'default', 'web');
    const { [conditionsAnnotation]: _c, [currentMetricsAnnotation]: _m, ...rest } = annotations(got);
    await c.update(v1, 'default', { ...got, metadata: { ...got.metadata, annotations: rest }, spec: { ...spec(got), targetCPUUtilizationPercentage: 70 } });
    const after = await c.get(v2, 'default', 'web');
    expect(spec(after).metrics).toEqual([external, cpu(70)]);
    expect(after.status).toEqual(before.status);
  });

  it('a v1 status write takes its status from the body, annotations included', async () => {
    const { c, before } = await rich();
    const got = await c.get(v1, 'default', 'web');
    const later = [{ ...condition, status: 'False', reason: 'FailedGetExternalMetric' }];
    await c.update(v1, 'default', { ...got, metadata: { ...got.metadata, annotations: { ...annotations(got), [conditionsAnnotation]: JSON.stringify(later) } } }, { subresource: 'status' });
    let after = await c.get(v2, 'default', 'web');
    expect(after.status).toEqual({ ...(before.status as object), conditions: later });
    expect(after.spec).toEqual(before.spec);
    const { [conditionsAnnotation]: _c, [currentMetricsAnnotation]: _m, ...rest } = annotations(got);
    await c.update(v1, 'default', { ...got, metadata: { ...got.metadata, resourceVersion: undefined, annotations: rest }, status: { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 90 } }, { subresource: 'status' });
    after = await c.get(v2, 'default', 'web');
    expect(after.status).toEqual({ currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90 } } }] });
  });

  it('create through v1 with annotations is defaulted and validated as v2', async () => {
    const c = await realCluster();
    const made = await c.create(v1, 'default', {
      metadata: { name: 'q', annotations: { [metricsAnnotation]: JSON.stringify([{ type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } }]), [behaviorAnnotation]: '{"ScaleUp":{"StabilizationWindowSeconds":60}}', [conditionsAnnotation]: JSON.stringify(conditions) } },
      spec: { scaleTargetRef: ref, maxReplicas: 3 },
    });
    expect(spec(made)).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3 });
    // A create starts without status, the conditions annotation included.
    expect(annotations(made)).not.toHaveProperty(conditionsAnnotation);
    expect(JSON.parse(annotations(made)[behaviorAnnotation]!)).toEqual({
      ScaleUp: { StabilizationWindowSeconds: 60, SelectPolicy: 'Max', Policies: [{ Type: 'Pods', Value: 4, PeriodSeconds: 15 }, { Type: 'Percent', Value: 100, PeriodSeconds: 15 }] },
      ScaleDown: { StabilizationWindowSeconds: null, SelectPolicy: 'Max', Policies: [{ Type: 'Percent', Value: 100, PeriodSeconds: 15 }] },
    });
    const stored = await c.get(v2, 'default', 'q');
    expect(spec(stored).metrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }]);
    expect(spec(stored).behavior.scaleUp.stabilizationWindowSeconds).toBe(60);
    expect(stored.metadata).not.toHaveProperty('annotations');
    expect(stored).not.toHaveProperty('status');

    const bad = await invalidCreate(c, v1, {
      metadata: { name: 'r', annotations: { [metricsAnnotation]: '[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"-1"}}]' } },
      spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 0 },
    });
    expect(bad.code).toBe(422);
    expect(bad.causes).toEqual([
      'spec.metrics[0].pods.target.averageValue: Invalid value: "-1": must be positive',
      'spec.metrics[1].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
  });

  it('annotations that are not JSON of their type are dropped, never a failure', async () => {
    const c = await realCluster();
    const made = await c.create(v1, 'default', {
      metadata: { name: 'x', annotations: { [metricsAnnotation]: 'abc', [behaviorAnnotation]: '[1]', [currentMetricsAnnotation]: '{', keep: 'y' } },
      spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
    });
    expect(annotations(made)).toEqual({ keep: 'y' });
    expect(spec(await c.get(v2, 'default', 'x')).metrics).toEqual([cpu(50)]);
    const patched = await c.patch(v1, 'default', 'x', { metadata: { annotations: { [metricsAnnotation]: '[{"resource":{"targetAverageUtilization":"x"}}]' } } });
    expect(annotations(patched)).toEqual({ keep: 'y' });
    expect((await failure(c.patch(v1, 'default', 'x', { spec: { maxReplicas: 0 } }))).code).toBe(422);
  });
});
