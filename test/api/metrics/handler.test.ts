import { describe, expect, it } from 'vitest';
import { cpuQuantity, goDuration, memoryQuantity, withMetrics, type MetricsSource } from '../../../pkg/api/metrics/index.ts';
import { createApiHandler } from '../../../pkg/api/registry/index.ts';
import { findResource, resources } from '../../../pkg/api/resources/index.ts';
import type { MetricsSummary } from '../../../pkg/api/tunnel/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { openStore } from '../../../pkg/store/index.ts';

const admin = { name: 'admin', groups: ['system:masters'] };
const t0 = Date.parse('2026-01-01T00:00:15Z');

describe('metrics quantities', () => {
  it('prints CPU, memory and windows as metrics-server does', () => {
    expect(cpuQuantity(2092762)).toBe('2092762n');
    expect(cpuQuantity(250_000_000)).toBe('250m');
    expect(cpuQuantity(0)).toBe('0');
    expect(memoryQuantity(16932 * 1024)).toBe('16932Ki');
    expect(memoryQuantity(64 * 1024 * 1024)).toBe('64Mi');
    expect(memoryQuantity(1000)).toBe('1000');
    expect(goDuration(15_000)).toBe('15s');
    expect(goDuration(20_064)).toBe('20.064s');
    expect(goDuration(60_500)).toBe('1m0.5s');
  });
});

async function setup(summaries: Record<string, MetricsSummary>) {
  const def = (g: string, v: string, p: string) => findResource(g, v, p)!;
  const inner = createApiHandler({ store: await openStore('memory:'), resources });
  const asked: string[] = [];
  const source: MetricsSource = { summary: async (n) => (asked.push(n), summaries[n]) };
  const api = withMetrics(inner, source, findResource, () => new Date(t0 + 5_000));
  const create = (plural: string, body: KObject, namespace?: string) => inner.create({ verb: 'create', def: def('', 'v1', plural), namespace, body, options: {} }, admin).then((r) => r.object);
  await create('namespaces', { metadata: { name: 'default' } });
  await create('namespaces', { metadata: { name: 'other' } });
  const pod = async (ns: string, name: string, labels: Record<string, string>, node: string, phase = 'Running') => {
    const p = await create('pods', { metadata: { name, namespace: ns, labels }, spec: { nodeName: node, containers: [{ name: 'app', image: 'i' }] } }, ns);
    await inner.patch({ verb: 'patch', def: def('', 'v1', 'pods'), namespace: ns, name, subresource: 'status', patchType: 'merge', patch: { status: { phase } }, options: {} }, admin);
    return p.metadata.uid!;
  };
  return { api, create, pod, asked, nodes: def('metrics.k8s.io', 'v1beta1', 'nodes'), pods: def('metrics.k8s.io', 'v1beta1', 'pods') };
}

const usage = { timestamp: t0, windowMs: 15_000, cpuNanoCores: 250_000_000, memoryWorkingSetBytes: 64 << 20 };

describe('withMetrics', () => {
  it('serves NodeMetrics for nodes whose agent reports usage, with their labels and selectors', async () => {
    const m = await setup({ n1: { node: 'n1', usage, pods: [] }, n2: { node: 'n2', pods: [] } });
    await m.create('nodes', { metadata: { name: 'n1', labels: { zone: 'a' } } });
    await m.create('nodes', { metadata: { name: 'n2', labels: { zone: 'b' } } });
    const list = await m.api.list({ verb: 'list', def: m.nodes, options: {} }, admin);
    expect(list).toMatchObject({ kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1' });
    expect(list.items).toEqual([{
      kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'n1', creationTimestamp: '2026-01-01T00:00:20Z', labels: { zone: 'a' } },
      timestamp: '2026-01-01T00:00:15Z', window: '15s', usage: { cpu: '250m', memory: '64Mi' },
    }]);
    expect((await m.api.list({ verb: 'list', def: m.nodes, options: { labelSelector: 'zone=b' } }, admin)).items).toEqual([]);
    expect(m.asked).toContain('n2');
    await expect(m.api.get({ verb: 'get', def: m.nodes, name: 'n2' }, admin)).rejects.toMatchObject({ code: 404, message: 'nodemetrics.metrics.k8s.io "n2" not found' });
    await expect(m.api.get({ verb: 'get', def: m.nodes, name: 'gone' }, admin)).rejects.toMatchObject({ code: 404, message: 'nodes "gone" not found' });
  });

  it('serves PodMetrics of Running pods by namespace and selector, matched by uid', async () => {
    const summaries: Record<string, MetricsSummary> = {};
    const m = await setup(summaries);
    const web = await m.pod('default', 'web', { app: 'web' }, 'n1');
    const db = await m.pod('other', 'db', { app: 'db' }, 'n1');
    await m.pod('default', 'done', { app: 'web' }, 'n1', 'Succeeded');
    await m.pod('default', 'renamed', { app: 'web' }, 'n1');
    const container = { name: 'app', cpuNanoCores: 1_500_000, memoryWorkingSetBytes: 4096 };
    const of = (namespace: string, name: string, uid: string) => ({ namespace, name, uid, timestamp: t0, windowMs: 14_500, containers: [container] });
    // `renamed` has usage only under an old uid: a pod recreated with the same name starts afresh.
    summaries.n1 = { node: 'n1', pods: [of('default', 'web', web), of('other', 'db', db), of('default', 'renamed', 'old-uid')] };
    const all = await m.api.list({ verb: 'list', def: m.pods, options: {} }, admin);
    expect(all.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['default/web', 'other/db']);
    expect(all.items[0]).toEqual({
      kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:20Z', labels: { app: 'web' } },
      timestamp: '2026-01-01T00:00:15Z', window: '14.5s', containers: [{ name: 'app', usage: { cpu: '1500000n', memory: '4Ki' } }],
    });
    const inOther = await m.api.list({ verb: 'list', def: m.pods, namespace: 'other', options: { labelSelector: 'app=db' } }, admin);
    expect(inOther.items.map((p) => p.metadata.name)).toEqual(['db']);
    expect(await m.api.get({ verb: 'get', def: m.pods, namespace: 'default', name: 'web' }, admin)).toMatchObject({ metadata: { name: 'web' } });
    await expect(m.api.get({ verb: 'get', def: m.pods, namespace: 'default', name: 'renamed' }, admin)).rejects.toMatchObject({ code: 404, message: 'podmetrics.metrics.k8s.io "default/renamed" not found' });
    await expect(m.api.get({ verb: 'get', def: m.pods, namespace: 'default', name: 'nope' }, admin)).rejects.toMatchObject({ code: 404, message: 'pods "nope" not found' });
  });

  it('serves only get and list, and passes every other resource through', async () => {
    const m = await setup({});
    await expect(m.api.create({ verb: 'create', def: m.pods, namespace: 'default', body: { metadata: { name: 'x' } }, options: {} }, admin)).rejects.toMatchObject({ code: 405, reason: 'MethodNotAllowed' });
    await expect(m.api.delete({ verb: 'delete', def: m.nodes, name: 'x', options: {} }, admin)).rejects.toMatchObject({ code: 405 });
    await expect(m.api.watch({ verb: 'watch', def: m.nodes, options: { signal: new AbortController().signal } }, admin)).rejects.toMatchObject({ code: 405 });
    await m.create('nodes', { metadata: { name: 'n9' } });
    expect((await m.api.get({ verb: 'get', def: findResource('', 'v1', 'nodes')!, name: 'n9' }, admin)).metadata.name).toBe('n9');
  });
});
