import { describe, expect, it } from 'vitest';
import { behaviorAnnotation, conditionsAnnotation, currentMetricsAnnotation, hpaV1ToV2, hpaV2Plain, hpaV2ToV1, metricsAnnotation } from '../../../pkg/api/resources/hpa-v1.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] };
const cpuTarget = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } };

/** One valid v2 spec metric of every source and target type; the CPU utilization target last (v1 keeps no position). */
const everyMetric = [
  { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
  { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } },
  { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 50 } } },
  { type: 'ContainerResource', containerResource: { name: 'memory', container: 'app', target: { type: 'AverageValue', averageValue: '1Gi' } } },
  { type: 'Pods', pods: { metric: { name: 'qps', selector }, target: { type: 'AverageValue', averageValue: '10' } } },
  { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'rps' }, target: { type: 'Value', value: '2k' } } },
  { type: 'Object', object: { describedObject: { kind: 'Service', name: 'svc' }, metric: { name: 'rps', selector }, target: { type: 'AverageValue', averageValue: '500m' } } },
  { type: 'External', external: { metric: { name: 'queue', selector }, target: { type: 'Value', value: '30' } } },
  { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '3' } } },
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '300m' } } },
  cpuTarget,
];

const everyStatus = [
  { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 75, averageValue: '150m' } } },
  { type: 'Resource', resource: { name: 'memory', current: { averageValue: '180Mi' } } },
  { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 40, averageValue: '80m' } } },
  { type: 'Pods', pods: { metric: { name: 'qps', selector }, current: { averageValue: '12' } } },
  { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'rps' }, current: { value: '1500' } } },
  { type: 'Object', object: { describedObject: { kind: 'Service', name: 'svc' }, metric: { name: 'rps' }, current: { averageValue: '400m' } } },
  { type: 'External', external: { metric: { name: 'queue', selector }, current: { value: '28', averageValue: '7' } } },
];

const behavior = {
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
  scaleDown: { selectPolicy: 'Disabled', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
};

const conditions = [
  { type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
  { type: 'ScalingActive', status: 'False', lastTransitionTime: '2026-01-01T12:01:00Z', reason: 'FailedGetResourceMetric', message: 'no metrics' },
];

const v2 = (spec: Record<string, unknown>, status?: Record<string, unknown>, annotations?: Record<string, string>): KObject => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, ...spec },
  ...(status ? { status } : {}),
});

const roundTrip = (o: KObject) => hpaV1ToV2(JSON.parse(JSON.stringify(hpaV2ToV1(o))));

describe('hpaV2ToV1 / hpaV1ToV2 round trips', () => {
  it('keeps every metric source and target type', () => {
    const o = v2({ metrics: everyMetric }, { currentReplicas: 2, desiredReplicas: 3, currentMetrics: everyStatus });
    expect(roundTrip(o)).toEqual(o);
  });

  it('keeps the behavior and the conditions', () => {
    const o = v2({ metrics: [cpuTarget], behavior }, { currentReplicas: 1, desiredReplicas: 1, conditions }, { team: 'a' });
    expect(roundTrip(o)).toEqual(o);
  });

  it('keeps an HPA that has nothing beyond v1', () => {
    const o = v2({ metrics: [cpuTarget] }, { currentReplicas: 1, desiredReplicas: 1, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 30 } } }] });
    expect(roundTrip(o)).toEqual(o);
    expect(roundTrip(v2({ metrics: [cpuTarget] }))).toEqual(v2({ metrics: [cpuTarget] }));
  });
});

describe('hpaV2ToV1', () => {
  it('puts the CPU utilization in fields and the rest in upstream annotations and shapes', () => {
    const v1 = hpaV2ToV1(v2({ metrics: [everyMetric[4], everyMetric[7], cpuTarget], behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } },
      { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [everyStatus[0]], conditions: [conditions[0]] }));
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
    expect(v1.status).toEqual({ currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 75 });
    const a = v1.metadata.annotations!;
    expect(Object.keys(a).sort()).toEqual([behaviorAnnotation, conditionsAnnotation, currentMetricsAnnotation, metricsAnnotation]);
    expect(JSON.parse(a[metricsAnnotation]!)).toEqual([
      { type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10', selector } },
      { type: 'External', external: { metricName: 'queue', metricSelector: selector, targetValue: '30' } },
    ]);
    expect(JSON.parse(a[currentMetricsAnnotation]!)).toEqual([{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 75, currentAverageValue: '150m' } }]);
    // The internal type's JSON: Go field names, unset pointers as null.
    expect(JSON.parse(a[behaviorAnnotation]!)).toEqual({ ScaleUp: null, ScaleDown: { StabilizationWindowSeconds: null, SelectPolicy: null, Policies: [{ Type: 'Pods', Value: 1, PeriodSeconds: 60 }] } });
    expect(JSON.parse(a[conditionsAnnotation]!)).toEqual([conditions[0]]);
  });

  it('takes the first CPU utilization target and skips a CPU AverageValue one (upstream #101370)', () => {
    const v1 = hpaV2ToV1(v2({ metrics: [everyMetric[9], { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] }));
    expect((v1.spec as any)?.targetCPUUtilizationPercentage).toBe(70);
    expect(JSON.parse(v1.metadata.annotations![metricsAnnotation]!)).toEqual([{ type: 'Resource', resource: { name: 'cpu', targetAverageValue: '300m' } }]);
  });

  it('replaces round-trip annotations it did not produce', () => {
    const v1 = hpaV2ToV1(v2({ metrics: [cpuTarget] }, undefined, { [metricsAnnotation]: '[{"type":"Pods"}]', [conditionsAnnotation]: 'x', keep: 'me' }));
    expect(v1.metadata.annotations).toEqual({ keep: 'me' });
  });
});

describe('hpaV1ToV2', () => {
  const v1 = (annotations?: Record<string, string>, spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KObject => ({
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { scaleTargetRef: ref, maxReplicas: 4, ...spec },
    ...(status ? { status } : {}),
  });

  it('without annotations: the CPU target, or upstream\'s 80% when none', () => {
    expect(hpaV1ToV2(v1(undefined, { targetCPUUtilizationPercentage: 50 }, { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 20 }))).toEqual({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' },
      spec: { scaleTargetRef: ref, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
      status: { currentReplicas: 1, desiredReplicas: 1, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 20 } } }] },
    });
    expect((hpaV1ToV2(v1()).spec as any).metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  it('with annotations: metrics first, then the CPU field; current metrics win over the CPU figure; the annotations go', () => {
    const o = hpaV1ToV2(v1({
      [metricsAnnotation]: JSON.stringify([{ type: 'External', external: { metricName: 'queue', targetAverageValue: '3' } }]),
      [currentMetricsAnnotation]: JSON.stringify([{ type: 'External', external: { metricName: 'queue', currentValue: '9' } }]),
      [behaviorAnnotation]: '{"scaleDown":{"stabilizationWindowSeconds":30}}',
      other: 'x',
    }, { targetCPUUtilizationPercentage: 50 }, { currentCPUUtilizationPercentage: 10 }));
    expect(o.metadata.annotations).toEqual({ other: 'x' });
    expect((o.spec as any)?.metrics).toEqual([everyMetric[8], { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    expect((o.spec as any)?.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 30 } });
    expect(o.status).toEqual({ currentMetrics: [{ type: 'External', external: { metric: { name: 'queue' }, current: { value: '9' } } }] });
  });

  it('reads keys as Go does: any letter case, unknown keys ignored, null unset', () => {
    const o = hpaV1ToV2(v1({ [behaviorAnnotation]: '{"SCALEUP":{"selectpolicy":"Min","Bogus":1,"StabilizationWindowSeconds":null}}' }));
    expect((o.spec as any)?.behavior).toEqual({ scaleUp: { selectPolicy: 'Min' } });
  });

  it('ignores annotations that are not JSON of their type, and never throws', () => {
    const anyBad = ['', 'abc', '{', 'null', '7', '"s"', '{}', '[1]', '[{"type":5}]'];
    const bad: Record<string, string[]> = {
      [metricsAnnotation]: [...anyBad, '[{"resource":{"targetAverageUtilization":"50"}}]', '[{"pods":{"targetAverageValue":"lots"}}]', '[{"resource":{"targetAverageUtilization":1.5}}]'],
      [currentMetricsAnnotation]: [...anyBad, '[{"resource":{"currentAverageValue":"x"}}]', '[{"object":{"target":"svc"}}]'],
      [behaviorAnnotation]: [...anyBad, '{"scaleUp":{"policies":[{"value":"4"}]}}', '{"scaleDown":[]}'],
      [conditionsAnnotation]: [...anyBad, '[{"type":"Ready","lastTransitionTime":"yesterday"}]', '[{"status":true}]'],
    };
    for (const [key, texts] of Object.entries(bad)) {
      for (const text of texts) {
        const o = hpaV1ToV2(v1({ [key]: text }, { targetCPUUtilizationPercentage: 40 }, { currentCPUUtilizationPercentage: 5 }));
        const what = `${key}: ${text}`;
        expect(o.metadata.annotations, what).toBeUndefined();
        expect(o.spec, what).toEqual({ scaleTargetRef: ref, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 40 } } }] });
        expect(o.status, what).toEqual({ currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 5 } } }] });
      }
    }
  });

  it('decodes a null list element to its zero value, as Go (validation then refuses it)', () => {
    const o = hpaV1ToV2(v1({ [metricsAnnotation]: '[null]', [conditionsAnnotation]: '[null]' }, {}, {}));
    expect((o.spec as any)?.metrics).toEqual([{}]);
    expect((o.status as any)?.conditions).toEqual([{}]);
  });

  it('converts each v1 source present, as upstream, leaving judgement to validation', () => {
    const o = hpaV1ToV2(v1({ [metricsAnnotation]: '[{"type":"Pods","resource":{"name":"memory","targetAverageValue":"1Gi"}}]' }));
    expect((o.spec as any)?.metrics).toEqual([{ type: 'Pods', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } }]);
  });
});

describe('hpaV2Plain', () => {
  it('drops the round-trip annotations from v2 objects and keeps others', () => {
    expect(hpaV2Plain(v2({}, undefined, { [metricsAnnotation]: '[]', a: 'b' })).metadata.annotations).toEqual({ a: 'b' });
    expect(hpaV2Plain(v2({}, undefined, { [behaviorAnnotation]: '{}' })).metadata).not.toHaveProperty('annotations');
    const plain = v2({});
    expect(hpaV2Plain(plain)).toBe(plain);
  });
});

describe('conversion of arbitrary shapes', () => {
  it('never throws, whatever the spec, status and annotations hold', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const keys = ['type', 'resource', 'pods', 'object', 'external', 'containerResource', 'metrics', 'currentMetrics', 'conditions', 'behavior', 'scaleUp', 'ScaleDown',
      'policies', 'target', 'current', 'metric', 'describedObject', 'averageUtilization', 'targetAverageUtilization', 'name', 'selector', 'targetCPUUtilizationPercentage'];
    const value = (depth: number): unknown => {
      const k = rnd(depth > 3 ? 5 : 8);
      if (k === 0) return null;
      if (k === 1) return rnd(200) - 50;
      if (k === 2) return ['cpu', 'Resource', 'Pods', '', '1Gi', 'x'][rnd(6)];
      if (k === 3) return rnd(2) === 0;
      if (k === 4) return 1.5;
      if (k === 5) return Array.from({ length: rnd(3) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, () => [keys[rnd(keys.length)]!, value(depth + 1)]));
    };
    const annotationKeys = [metricsAnnotation, currentMetricsAnnotation, behaviorAnnotation, conditionsAnnotation];
    for (let i = 0; i < 3000; i++) {
      const annotations = Object.fromEntries(annotationKeys.filter(() => rnd(2) === 0).map((k) => [k, rnd(5) === 0 ? '{' : JSON.stringify(value(0))]));
      const o = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x', annotations }, spec: value(0), status: value(0) } as unknown as KObject;
      const there = hpaV1ToV2(o);
      const back = hpaV2ToV1(there);
      expect(hpaV1ToV2(back).spec).toEqual(there.spec);
      hpaV2ToV1({ ...o, apiVersion: 'autoscaling/v2' });
    }
  });
});

