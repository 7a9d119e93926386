import { describe, expect, it } from 'vitest';
import type { core } from '../../pkg/api/types/index.ts';
import { SchedulerCache } from '../../pkg/scheduler/cache.ts';
import { Framework, type Decision } from '../../pkg/scheduler/framework.ts';
import { interPodAffinity } from '../../pkg/scheduler/inter-pod-affinity.ts';
import { nodeAffinityPlugin, nodeResources } from '../../pkg/scheduler/plugins.ts';
import { topologySpread } from '../../pkg/scheduler/topology-spread.ts';

const zone = 'topology.kubernetes.io/zone';
const host = 'kubernetes.io/hostname';

const node = (name: string, z?: string, extra: Record<string, string> = {}): core.Node => ({
  metadata: { name, labels: { [host]: name, ...(z ? { [zone]: z } : {}), ...extra } },
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
});
const pod = (name: string, labels: Record<string, string>, spec: Partial<core.PodSpec> = {}, namespace = 'default'): core.Pod => ({
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'i' }], ...spec },
});

/** Six nodes in three zones (a1 a2 b1 b2 c1 c2) and the pods placed on them by node name. */
function cluster(placed: [string, core.Pod][] = [], nodes = ['a1', 'a2', 'b1', 'b2', 'c1', 'c2'].map((n) => node(n, n[0]))) {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  placed.forEach(([n, p], i) => cache.updatePod(`${p.metadata!.namespace}/${p.metadata!.name ?? i}`, { ...p, spec: { ...p.spec!, nodeName: n } }));
  const namespaces = [{ name: 'default', labels: { team: 'x' } }, { name: 'other', labels: { team: 'y' } }];
  const fw = new Framework([nodeAffinityPlugin, nodeResources, topologySpread, interPodAffinity(cache, () => namespaces)]);
  return { cache, fw, decide: (p: core.Pod) => fw.decide(p, cache.nodes()) };
}
const nodeOf = (d: Decision) => ('node' in d ? d.node.node.metadata!.name! : undefined);
const reasons = (d: Decision) => ('reasons' in d ? Object.fromEntries(d.reasons) : d);
/** Every node a pod may go to. */
function feasible(placed: [string, core.Pod][], p: core.Pod, nodes?: core.Node[]): string[] {
  const { cache, fw } = cluster(placed, nodes);
  const r = fw.feasible(p, cache.nodes());
  return typeof r === 'string' ? [r] : r.map((n) => n.node.metadata!.name!).sort();
}

const web = { app: 'web' };
const spread = (key: string, maxSkew: number, extra: Partial<core.TopologySpreadConstraint> = {}): core.TopologySpreadConstraint =>
  ({ topologyKey: key, maxSkew, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: web }, ...extra });

describe('topology spread constraints', () => {
  it('keeps a zone within maxSkew of the emptiest', () => {
    const placed: [string, core.Pod][] = [['a1', pod('w1', web)], ['a2', pod('w2', web)], ['b1', pod('w3', web)]];
    expect(feasible(placed, pod('new', web, { topologySpreadConstraints: [spread(zone, 1)] }))).toEqual(['c1', 'c2']);
    expect(feasible(placed, pod('new', web, { topologySpreadConstraints: [spread(zone, 2)] }))).toEqual(['b1', 'b2', 'c1', 'c2']);
  });

  it('counts only pods of the namespace that the selector matches, not terminating ones', () => {
    const gone = { ...pod('w2', web), metadata: { ...pod('w2', web).metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    const placed: [string, core.Pod][] = [['a1', pod('w1', web)], ['a2', gone], ['b1', pod('x', web, {}, 'other')], ['c1', pod('y', { app: 'db' })]];
    expect(feasible(placed, pod('new', web, { topologySpreadConstraints: [spread(zone, 1)] }))).toEqual(['b1', 'b2', 'c1', 'c2']);
  });

  it('rejects nodes without the topology label, with upstream\'s reasons', () => {
    const { decide } = cluster([['a1', pod('w1', web)]], [node('a1', 'a'), node('bare'), node('a2', 'a')]);
    expect(reasons(decide(pod('new', web, { topologySpreadConstraints: [spread(zone, 0 + 1)], nodeSelector: { [host]: 'bare' } })))).toEqual({
      "node(s) didn't match Pod's node affinity/selector": 2,
      "node(s) didn't match pod topology spread constraints (missing required label)": 1,
    });
    // With nodeAffinityPolicy Ignore the empty a2 counts as the minimum domain.
    expect(reasons(decide(pod('new', web, { topologySpreadConstraints: [spread(host, 1, { nodeAffinityPolicy: 'Ignore' })], nodeSelector: { [host]: 'a1' } })))).toEqual({
      "node(s) didn't match Pod's node affinity/selector": 2,
      "node(s) didn't match pod topology spread constraints": 1,
    });
  });

  it('takes the minimum as 0 while fewer domains than minDomains exist', () => {
    const nodes = [node('a1', 'a'), node('b1', 'b')];
    const placed: [string, core.Pod][] = [['a1', pod('w1', web)], ['b1', pod('w2', web)]];
    expect(feasible(placed, pod('n', web, { topologySpreadConstraints: [spread(zone, 1)] }), nodes)).toEqual(['a1', 'b1']);
    expect(feasible(placed, pod('n', web, { topologySpreadConstraints: [spread(zone, 1, { minDomains: 3 })] }), nodes)).toEqual([]);
  });

  it('honours the pod\'s node affinity when counting domains (nodeAffinityPolicy)', () => {
    // Zone c is empty but the pod may not go there; by default it does not count as the minimum.
    const placed: [string, core.Pod][] = [['a1', pod('w1', web)]];
    const only = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: zone, operator: 'In', values: ['a', 'b'] }] }] } } };
    expect(feasible(placed, pod('n', web, { affinity: only, topologySpreadConstraints: [spread(zone, 1)] }))).toEqual(['b1', 'b2']);
    const b = feasible([['a1', pod('w1', web)], ['b1', pod('w2', web)]], pod('n', web, { affinity: only, topologySpreadConstraints: [spread(zone, 1)] }));
    expect(b).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(feasible([['a1', pod('w1', web)], ['b1', pod('w2', web)]], pod('n', web, { affinity: only, topologySpreadConstraints: [spread(zone, 1, { nodeAffinityPolicy: 'Ignore' })] }))).toEqual([]);
  });

  it('merges matchLabelKeys into the selector', () => {
    const v1 = { app: 'web', rev: '1' };
    const v2 = { app: 'web', rev: '2' };
    const placed: [string, core.Pod][] = [['a1', pod('o1', v1)], ['a2', pod('o2', v1)], ['b1', pod('o3', v1)]];
    const c = spread(zone, 1, { matchLabelKeys: ['rev'] });
    expect(feasible(placed, pod('n', v2, { topologySpreadConstraints: [c] }))).toEqual(['a1', 'a2', 'b1', 'b2', 'c1', 'c2']);
    expect(feasible(placed, pod('n', v1, { topologySpreadConstraints: [c] }))).toEqual(['c1', 'c2']);
  });

  it('prefers emptier domains for ScheduleAnyway', () => {
    const { decide } = cluster([['a1', pod('w1', web)], ['a2', pod('w2', web)], ['b1', pod('w3', web)], ['c1', pod('w4', web)], ['c2', pod('w5', web)]]);
    expect(nodeOf(decide(pod('n', web, { topologySpreadConstraints: [spread(zone, 1, { whenUnsatisfiable: 'ScheduleAnyway' })] })))).toMatch(/^b/);
  });
});

const term = (labels: Record<string, string>, topologyKey: string, extra: Partial<core.PodAffinityTerm> = {}): core.PodAffinityTerm => ({ labelSelector: { matchLabels: labels }, topologyKey, ...extra });

describe('inter-pod affinity', () => {
  it('puts a pod in the zone of the pods its required affinity names', () => {
    const p = pod('api', { app: 'api' }, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, zone)] } } });
    expect(feasible([['b2', pod('db', { app: 'db' })]], p)).toEqual(['b1', 'b2']);
    const { decide } = cluster([]);
    expect(reasons(decide(p))).toEqual({ "node(s) didn't match pod affinity rules": 6 });
  });

  it('lets the first pod of a group that matches its own affinity go anywhere', () => {
    const p = pod('db-0', { app: 'db' }, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, zone)] } } });
    expect(feasible([], p)).toHaveLength(6);
    expect(feasible([['c1', pod('db-1', { app: 'db' })]], p)).toEqual(['c1', 'c2']);
  });

  it('keeps replicas with hostname anti-affinity on separate nodes', () => {
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(web, host)] } };
    const placed: [string, core.Pod][] = ['a1', 'a2', 'b1', 'b2', 'c1'].map((n, i) => [n, pod(`w${i}`, web, { affinity: anti })]);
    expect(feasible(placed, pod('w5', web, { affinity: anti }))).toEqual(['c2']);
    const { decide } = cluster([...placed, ['c2', pod('w6', web, { affinity: anti })]]);
    // The placed pods' own anti-affinity is checked first, as upstream.
    expect(reasons(decide(pod('w7', web, { affinity: anti })))).toEqual({ "node(s) didn't satisfy existing pods anti-affinity rules": 6 });
    expect(reasons(cluster(placed.map(([n, p]) => [n, { ...p, spec: { ...p.spec!, affinity: undefined } }] as [string, core.Pod])).decide(pod('w5', web, { affinity: anti, nodeSelector: { [host]: 'a1' } }))))
      .toEqual({ "node(s) didn't match Pod's node affinity/selector": 5, "node(s) didn't match pod anti-affinity rules": 1 });
  });

  it('respects a placed pod\'s anti-affinity against the incoming pod', () => {
    const loner = pod('loner', { app: 'loner' }, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(web, zone)] } } });
    expect(feasible([['a1', loner]], pod('w', web))).toEqual(['b1', 'b2', 'c1', 'c2']);
    expect(feasible([['a1', loner]], pod('w', { app: 'other' }))).toHaveLength(6);
  });

  it('looks in the namespaces a term names, by list or selector', () => {
    const placed: [string, core.Pod][] = [['b1', pod('db', { app: 'db' }, {}, 'other')]];
    const want = (t: core.PodAffinityTerm) => feasible(placed, pod('api', { app: 'api' }, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } } }));
    expect(want(term({ app: 'db' }, zone))).toEqual([]);
    expect(want(term({ app: 'db' }, zone, { namespaces: ['other'] }))).toEqual(['b1', 'b2']);
    expect(want(term({ app: 'db' }, zone, { namespaceSelector: {} }))).toEqual(['b1', 'b2']);
    expect(want(term({ app: 'db' }, zone, { namespaceSelector: { matchLabels: { team: 'y' } } }))).toEqual(['b1', 'b2']);
    expect(want(term({ app: 'db' }, zone, { namespaceSelector: { matchLabels: { team: 'x' } } }))).toEqual([]);
  });

  it('scores preferred affinity and anti-affinity by weight', () => {
    const placed: [string, core.Pod][] = [['a1', pod('cache', { app: 'cache' })], ['b1', pod('noisy', { app: 'noisy' })]];
    const { decide } = cluster(placed, [node('a1', 'a'), node('b1', 'b'), node('c1', 'c')]);
    const near = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term({ app: 'cache' }, zone) }] } };
    expect(nodeOf(decide(pod('p', {}, { affinity: near })))).toBe('a1');
    const away = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term({ app: 'noisy' }, zone) }] } };
    expect(nodeOf(decide(pod('q', {}, { affinity: { ...near, ...away } })))).toBe('a1');
    expect(nodeOf(decide(pod('r', {}, { affinity: away })))).not.toBe('b1');
  });

  it('draws a pod toward placed pods whose preferred affinity names it', () => {
    const friendly = pod('f', { app: 'f' }, { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term(web, host) }] } } });
    const { decide } = cluster([['b2', friendly]]);
    expect(nodeOf(decide(pod('w', web)))).toBe('b2');
  });
});
