import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { withMetrics } from '../../pkg/api/metrics/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { findResource, resources } from '../../pkg/api/resources/index.ts';
import type { MetricsSummary } from '../../pkg/api/tunnel/index.ts';
import type { KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, horizontalPodAutoscalerController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

let loops: Component | undefined;
afterEach(async () => loops?.stop?.());
let clock = Date.parse('2026-01-01T12:00:00Z');
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** CPU in use per pod name (millicores), reported by node n1's "agent". */
let usage: Record<string, number> = {};
const uids: Record<string, string> = {};

async function cluster(): Promise<Client> {
  const summary = async (): Promise<MetricsSummary> => ({
    node: 'n1',
    pods: Object.entries(usage).filter(([name]) => uids[name]).map(([name, cpu]) => ({
      namespace: 'default', name, uid: uids[name]!, timestamp: clock - 1_000, windowMs: 15_000,
      containers: [{ name: 'app', cpuNanoCores: cpu * 1e6, memoryWorkingSetBytes: 32 << 20 }],
    })),
  });
  const handler = withMetrics(createApiHandler({ store: await openStore('memory:'), resources, clock: () => new Date(clock) }), { summary }, findResource, () => new Date(clock));
  const client = inProcessClient(handler, resources);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  loops = controlLoops(() => client, [(c, inf, l) => horizontalPodAutoscalerController(c, inf, resources, l, { now: () => clock, syncPeriodMs: 10 })], silentLogger);
  await loops.start(new AbortController().signal);
  return client;
}

async function deployment(c: Client, name: string, replicas: number, pods: string[]): Promise<void> {
  const template = { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'i', resources: { requests: { cpu: '100m' } } }] } };
  await c.resource('apps/v1', 'deployments').create('default', { metadata: { name, namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: name } }, template } } as KObject);
  // No deployment controller runs here: the pods are made by hand, Running and Ready for an hour.
  for (const p of pods) {
    const made = await c.resource('v1', 'pods').create('default', { metadata: { name: p, namespace: 'default', labels: { app: name } }, spec: { ...template.spec, nodeName: 'n1' } } as KObject);
    uids[p] = made.metadata.uid!;
    await c.resource('v1', 'pods').patch('default', p, 'merge', { status: { phase: 'Running', startTime: stamp(clock - 3_600_000), conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: stamp(clock - 3_500_000) }] } }, { subresource: 'status' });
  }
}

const hpa = (name: string, target: string, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'default' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }], ...extra },
});

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn()).slice(0, 1500)}`);
}
const status = async (c: Client, name: string) => (await c.resource('autoscaling/v2', 'horizontalpodautoscalers').get('default', name)).status as any;
const condition = (s: any, type: string) => s?.conditions?.find((x: { type: string }) => x.type === type);
const replicas = async (c: Client, name: string) => ((await c.resource('apps/v1', 'deployments').get('default', name)).spec as any).replicas as number;
const events = async (c: Client, reason: string) => (await c.resource('v1', 'events').list('default')).items.filter((e: any) => e.reason === reason).map((e: any) => e.message as string);

describe('horizontalPodAutoscalerController', () => {
  it('scales a Deployment on CPU utilization through its scale subresource, stabilizing scale-down for 5 minutes', async () => {
    const c = await cluster();
    await deployment(c, 'web', 2, ['web-a', 'web-b']);
    usage = { 'web-a': 100, 'web-b': 100 };
    await c.resource('autoscaling/v2', 'horizontalpodautoscalers').create('default', hpa('web', 'web'));
    // 100% of requests against 50%: twice the pods.
    await until('scaled up', () => replicas(c, 'web'), (r) => r === 4);
    const s = await until('settled', () => status(c, 'web'), (x) => x?.currentReplicas === 4 && condition(x, 'AbleToScale')?.reason === 'ReadyForNewScale');
    expect(s).toMatchObject({ currentReplicas: 4, desiredReplicas: 4, lastScaleTime: stamp(clock), currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 100, averageValue: '100m' } } }] });
    expect(s.conditions.map((x: any) => [x.type, x.status, x.reason])).toEqual([
      ['AbleToScale', 'True', 'ReadyForNewScale'], ['ScalingActive', 'True', 'ValidMetricFound'], ['ScalingLimited', 'False', 'DesiredWithinRange'],
    ]);
    expect(condition(s, 'ScalingActive').message).toBe('the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
    expect(await events(c, 'SuccessfulRescale')).toEqual(['New size: 4; reason: cpu resource utilization (percentage of request) above target']);
    // The autoscaling/v1 view shows the same figure.
    expect(((await c.resource('autoscaling/v1', 'horizontalpodautoscalers').get('default', 'web')).status as any).currentCPUUtilizationPercentage).toBe(100);

    // Load falls: the 10-replica recommendation holds the size for the 5-minute window.
    usage = { 'web-a': 5, 'web-b': 5 };
    clock += 60_000;
    const held = await until('stabilized', () => status(c, 'web'), (x) => condition(x, 'ScalingActive')?.reason === 'ValidMetricFound' && x.currentMetrics?.[0]?.resource?.current?.averageUtilization === 5);
    expect(await replicas(c, 'web')).toBeGreaterThanOrEqual(4);
    expect(held.desiredReplicas).toBeGreaterThanOrEqual(4);
    clock += 301_000;
    await until('scaled down', () => replicas(c, 'web'), (r) => r === 1);
    await until('event', () => events(c, 'SuccessfulRescale'), (e) => e.includes('New size: 1; reason: All metrics below target'));
    const low = await until('status', () => status(c, 'web'), (x) => x?.desiredReplicas === 1);
    expect(condition(low, 'AbleToScale').status).toBe('True');
  });

  it('follows a behavior\'s scale-up policy', async () => {
    const c = await cluster();
    await deployment(c, 'api', 2, ['api-a', 'api-b']);
    usage = { 'api-a': 200, 'api-b': 200 };
    const behavior = { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } };
    await c.resource('autoscaling/v2', 'horizontalpodautoscalers').create('default', hpa('api', 'api', { behavior }));
    await until('one more', () => replicas(c, 'api'), (r) => r === 3);
    const s = await until('limited', () => status(c, 'api'), (x) => condition(x, 'ScalingLimited')?.status === 'True' && x.currentReplicas === 3);
    expect(condition(s, 'ScalingLimited').reason).toBe('ScaleUpLimit');
    expect(await replicas(c, 'api')).toBe(3);
    clock += 61_000;
    await until('one more after the period', () => replicas(c, 'api'), (r) => r === 4);
  });

  it('scales on average memory per pod', async () => {
    const c = await cluster();
    await deployment(c, 'mem', 2, ['mem-a', 'mem-b']);
    usage = { 'mem-a': 1, 'mem-b': 1 }; // each pod's working set is 32Mi
    const memory = [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '16Mi' } } }];
    await c.resource('autoscaling/v2', 'horizontalpodautoscalers').create('default', hpa('mem', 'mem', { metrics: memory }));
    await until('doubled', () => replicas(c, 'mem'), (r) => r === 4);
    const s = await until('status', () => status(c, 'mem'), (x) => x?.desiredReplicas === 4);
    expect(s.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '33554432' } } }]);
    expect(await events(c, 'SuccessfulRescale')).toContain('New size: 4; reason: memory resource above target');
  });

  it('reports missing metrics and a missing target as upstream', async () => {
    const c = await cluster();
    await deployment(c, 'quiet', 1, ['quiet-a']);
    usage = {};
    await c.resource('autoscaling/v2', 'horizontalpodautoscalers').create('default', hpa('quiet', 'quiet'));
    const s = await until('inactive', () => status(c, 'quiet'), (x) => condition(x, 'ScalingActive')?.status === 'False');
    expect(condition(s, 'ScalingActive')).toMatchObject({ reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: unable to get metrics for resource cpu: no metrics returned from resource metrics API' });
    expect(s.currentMetrics).toEqual([{ type: '' }]);
    expect(s.currentReplicas).toBe(1);
    await until('event', () => events(c, 'FailedComputeMetricsReplicas'), (e) => e.includes('invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API'));

    await c.resource('autoscaling/v2', 'horizontalpodautoscalers').create('default', hpa('ghost', 'ghost'));
    const g = await until('no target', () => status(c, 'ghost'), (x) => condition(x, 'AbleToScale')?.status === 'False');
    expect(condition(g, 'AbleToScale')).toMatchObject({ reason: 'FailedGetScale', message: 'the HPA controller was unable to get the target\'s current scale: deployments.apps "ghost" not found' });
    await until('event', () => events(c, 'FailedGetScale'), (e) => e.includes('deployments.apps "ghost" not found'));
  });
});
