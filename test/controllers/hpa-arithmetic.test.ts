import { describe, expect, it } from 'vitest';
import type { core, KObject } from '../../pkg/api/types/index.ts';
import { ScaleHistory } from '../../pkg/controllers/hpa-behavior.ts';
import { defaultCalculatorConfig, groupPods, parseWindow, podMetricsFrom, resourceReplicas, type PodMetric } from '../../pkg/controllers/hpa-replicas.ts';
import { milliQuantity } from '../../pkg/controllers/hpa-status.ts';

type Pod = core.Pod & KObject;
const now = Date.parse('2026-01-01T01:00:00Z');
const cfg = { ...defaultCalculatorConfig, now };
const ago = (ms: number) => new Date(now - ms).toISOString();

/** A Running, Ready pod started an hour ago, requesting `cpu` millicores. */
function pod(name: string, cpu = 100, extra: { phase?: string; ready?: 'True' | 'False'; startedMsAgo?: number; readyMsAgo?: number } = {}): Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'i', resources: { requests: { cpu: `${cpu}m`, memory: '64Mi' } } }] },
    status: {
      phase: extra.phase ?? 'Running', startTime: ago(extra.startedMsAgo ?? 3_600_000),
      conditions: [{ type: 'Ready', status: extra.ready ?? 'True', lastTransitionTime: ago(extra.readyMsAgo ?? 3_500_000) }],
    },
  } as Pod;
}
const m = (value: number, msAgo = 1_000): PodMetric => ({ value, timestamp: now - msAgo, windowMs: 15_000 });
const metrics = (o: Record<string, number>) => new Map(Object.entries(o).map(([k, v]) => [k, m(v)]));

describe('resourceReplicas', () => {
  it('scales by the ratio of utilization to target, and not within the tolerance', () => {
    const pods = [pod('a'), pod('b')];
    // 150m + 250m of 200m requested = 200% against 50% → ratio 4 → ceil(4 × 2 ready pods).
    expect(resourceReplicas(2, { utilization: 50 }, 'cpu', pods, metrics({ a: 150, b: 250 }), cfg)).toMatchObject({ replicas: 8, utilization: 200, average: 200 });
    // 54% against 50%: a ratio of 1.08 is inside the 10% tolerance.
    expect(resourceReplicas(2, { utilization: 50 }, 'cpu', pods, metrics({ a: 54, b: 54 }), cfg).replicas).toBe(2);
    expect(resourceReplicas(2, { utilization: 50 }, 'cpu', pods, metrics({ a: 10, b: 10 }), cfg).replicas).toBe(1);
  });

  it('targets an average value per pod', () => {
    const pods = [pod('a'), pod('b'), pod('c')];
    expect(resourceReplicas(3, { average: 100 }, 'cpu', pods, metrics({ a: 300, b: 300, c: 300 }), cfg)).toMatchObject({ replicas: 9, average: 300 });
    expect(resourceReplicas(3, { average: 100 }, 'cpu', pods, metrics({ a: 105, b: 95, c: 100 }), cfg).replicas).toBe(3);
  });

  it('assumes pods without samples use their whole request when scaling down, nothing when scaling up', () => {
    const pods = [pod('a'), pod('b'), pod('new')];
    // Down: a and b at 10%; `new` counted at 100% → (10+10+100)/300 = 40% vs 50%: ratio 0.8 → ceil(0.8×3) = 3 → no change.
    expect(resourceReplicas(3, { utilization: 50 }, 'cpu', pods, metrics({ a: 10, b: 10 }), cfg).replicas).toBe(3);
    // Up: a and b at 200%; `new` counted at 0 → 400/300 = 133% vs 50% → ceil(2.66×3) = 8.
    expect(resourceReplicas(3, { utilization: 50 }, 'cpu', pods, metrics({ a: 200, b: 200 }), cfg).replicas).toBe(8);
  });

  it('leaves unready pods out, and counts them as idle when they could change a scale-up', () => {
    const pods = [pod('a'), pod('b', 100, { ready: 'False', startedMsAgo: 60_000, readyMsAgo: 60_000 })];
    // b is within its CPU initialization period and not ready: a alone is 100% of 50% → ratio 2; b at 0 → 50% → within tolerance.
    expect(resourceReplicas(2, { utilization: 50 }, 'cpu', pods, metrics({ a: 100, b: 100 }), cfg).replicas).toBe(2);
    expect(resourceReplicas(2, { utilization: 50 }, 'cpu', pods, metrics({ a: 300, b: 100 }), cfg).replicas).toBe(6);
    // A young Ready pod whose sample began before it became ready is unready too; memory ignores readiness.
    const young = pod('y', 100, { startedMsAgo: 60_000, readyMsAgo: 10_000 });
    expect(groupPods([young], metrics({ y: 1 }), 'cpu', cfg).unready.has('y')).toBe(true);
    expect(groupPods([young], metrics({ y: 1 }), 'memory', cfg).readyPodCount).toBe(1);
    expect(groupPods([pod('f', 1, { phase: 'Failed' }), pod('p', 1, { phase: 'Pending' })], new Map(), 'cpu', cfg)).toMatchObject({ ignored: new Set(['f']), unready: new Set(['p']) });
  });

  it('fails as upstream without pods, samples or requests', () => {
    expect(() => resourceReplicas(1, { utilization: 50 }, 'cpu', [], metrics({}), cfg)).toThrow('no pods returned by selector while calculating replica count');
    expect(() => resourceReplicas(1, { utilization: 50 }, 'cpu', [pod('a', 100, { phase: 'Pending' })], metrics({ a: 1 }), cfg)).toThrow('did not receive metrics for targeted pods (pods might be unready)');
    const bare = pod('a');
    delete bare.spec!.containers[0]!.resources!.requests!.cpu;
    expect(() => resourceReplicas(1, { utilization: 50 }, 'cpu', [bare], metrics({ a: 1 }), cfg)).toThrow('missing request for cpu in container app of Pod a');
  });
});

describe('podMetricsFrom', () => {
  it('sums container usage in milli-units, per container when asked', () => {
    const items = [{ metadata: { name: 'a' }, timestamp: '2026-01-01T00:59:59Z', window: '15.5s', containers: [{ name: 'x', usage: { cpu: '250m', memory: '1Ki' } }, { name: 'y', usage: { cpu: '1500000n', memory: '1Ki' } }] }] as KObject[];
    expect(podMetricsFrom(items, 'cpu').get('a')).toEqual({ value: 252, timestamp: now - 1000, windowMs: 15_500 });
    expect(podMetricsFrom(items, 'memory', 'x').get('a')!.value).toBe(1024_000);
    expect(podMetricsFrom(items, 'cpu', 'z').size).toBe(0);
    expect(parseWindow('1m0.5s')).toBe(60_500);
    expect(milliQuantity(250)).toBe('250m');
    expect(milliQuantity(64_000_000_000)).toBe('64M');
    expect(milliQuantity(2000)).toBe('2');
  });
});

describe('ScaleHistory', () => {
  const bounds = (current: number, desired: number, min = 1, max = 10) => ({ current, desired, min, max });

  it('without a behavior keeps the highest recommendation of the last 5 minutes and doubles at most', () => {
    const h = new ScaleHistory();
    expect(h.normalize('k', bounds(2, 9), 0)).toEqual({ replicas: 4, able: { reason: 'ReadyForNewScale', message: 'recommended size matches current size' }, limited: { status: true, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } });
    expect(h.normalize('k', bounds(4, 2), 60_000)).toMatchObject({ replicas: 8, able: { reason: 'ScaleDownStabilized' } });
    expect(h.normalize('k', bounds(8, 2), 301_000).replicas).toBe(2);
    expect(h.normalize('k2', bounds(5, 0), 0)).toMatchObject({ replicas: 1, limited: { status: true, reason: 'TooFewReplicas' } });
    expect(h.normalize('k3', bounds(3, 30, 1, 5), 0)).toMatchObject({ replicas: 5, limited: { status: true, reason: 'TooManyReplicas' } });
    expect(h.normalize('k4', bounds(3, 3), 0)).toMatchObject({ replicas: 3, limited: { status: false, reason: 'DesiredWithinRange' } });
  });

  it('with a behavior applies both windows and the rate policies over their periods', () => {
    const h = new ScaleHistory();
    const behavior = { scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods' as const, value: 2, periodSeconds: 60 }] }, scaleDown: { stabilizationWindowSeconds: 120, policies: [{ type: 'Percent' as const, value: 50, periodSeconds: 60 }] } };
    const up = h.normalizeWithBehavior('k', behavior, bounds(2, 10), 0);
    expect(up).toMatchObject({ replicas: 4, limited: { status: true, reason: 'ScaleUpLimit' } });
    h.recordScale('k', behavior, 2, 4, 0);
    // Within the same 60 s period only the rest of the +2 budget is left: none.
    expect(h.normalizeWithBehavior('k', behavior, bounds(4, 10), 30_000).replicas).toBe(4);
    expect(h.normalizeWithBehavior('k', behavior, bounds(4, 10), 61_000).replicas).toBe(6);
    h.recordScale('k', behavior, 4, 6, 61_000);
    // Down: the 120 s window still holds the 10s recommended at 30 s and 61 s.
    expect(h.normalizeWithBehavior('k', behavior, bounds(6, 1), 100_000)).toMatchObject({ replicas: 6, able: { reason: 'ScaleDownStabilized' } });
    // After the window, at most 50% per minute: 6 → 3.
    expect(h.normalizeWithBehavior('k', behavior, bounds(6, 1), 190_000)).toMatchObject({ replicas: 3, limited: { status: true, reason: 'ScaleDownLimit' } });
    const disabled = { scaleDown: { selectPolicy: 'Disabled' as const, stabilizationWindowSeconds: 0 } };
    expect(h.normalizeWithBehavior('d', disabled, bounds(5, 1), 0).replicas).toBe(5);
    // Scale-up stabilization: the lowest recommendation of the window wins.
    const slow = { scaleUp: { stabilizationWindowSeconds: 60 } };
    h.normalizeWithBehavior('s', slow, bounds(2, 2), 0);
    expect(h.normalizeWithBehavior('s', slow, bounds(2, 5), 10_000)).toMatchObject({ replicas: 2, able: { reason: 'ScaleUpStabilized' } });
    expect(h.normalizeWithBehavior('s', slow, bounds(2, 5), 61_000).replicas).toBe(5);
  });
});
