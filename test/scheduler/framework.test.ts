import { describe, expect, it } from 'vitest';
import type { core } from '../../pkg/api/types/index.ts';
import { SchedulerCache } from '../../pkg/scheduler/cache.ts';
import { feasibleNodesToFind, filterPlugin, Framework } from '../../pkg/scheduler/framework.ts';
import { nodeResources } from '../../pkg/scheduler/plugins.ts';

const node = (name: string, labels: Record<string, string> = {}, pods = '110'): core.Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  status: { allocatable: { cpu: '2', memory: '4Gi', pods } },
});
const pod = (name: string, opts: { labels?: Record<string, string>; cpu?: string; nodeName?: string; deleting?: boolean; owner?: string } = {}): core.Pod => ({
  metadata: {
    name, namespace: 'default', labels: opts.labels, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    ...(opts.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: opts.owner, controller: true }] } : {}),
  },
  spec: { nodeName: opts.nodeName, containers: [{ name: 'c', image: 'i', ...(opts.cpu ? { resources: { requests: { cpu: opts.cpu } } } : {}) }] },
});

describe('feasibleNodesToFind (upstream percentageOfNodesToScore)', () => {
  it('takes every node below 100, then an adaptive share of at least 100 nodes', () => {
    expect(feasibleNodesToFind(0)).toBe(0);
    expect(feasibleNodesToFind(99)).toBe(99);
    expect(feasibleNodesToFind(200)).toBe(100); // 49 % of 200 is 98
    expect(feasibleNodesToFind(1000)).toBe(420); // 42 %
    expect(feasibleNodesToFind(5000)).toBe(500); // 10 %
    expect(feasibleNodesToFind(10_000)).toBe(500); // floor of 5 %
  });
});

describe('Framework', () => {
  it('stops after enough feasible nodes and starts the next search where the last stopped', () => {
    const cache = new SchedulerCache();
    for (let i = 0; i < 200; i++) cache.setNode(node(`n${String(i).padStart(3, '0')}`));
    const seen: string[] = [];
    const fw = new Framework([filterPlugin('Spy', (_p, n) => void seen.push(n.node.metadata!.name!))]);
    fw.decide(pod('a'), cache.nodes());
    expect(seen.length).toBe(100);
    expect(seen[0]).toBe('n000');
    seen.length = 0;
    fw.decide(pod('b'), cache.nodes());
    expect(seen[0]).toBe('n100');
    expect(seen.length).toBe(100);
  });

  it('walks every node when none fits and counts the first failing reason per node', () => {
    const cache = new SchedulerCache();
    for (let i = 0; i < 150; i++) cache.setNode(node(`n${i}`));
    const fw = new Framework([filterPlugin('A', (_p, n) => (n.node.metadata!.name!.endsWith('0') ? ['ten'] : undefined)), filterPlugin('B', () => ['all'])]);
    const d = fw.decide(pod('x'), cache.nodes());
    expect(d).toEqual({ reasons: new Map([['ten', 15], ['all', 135]]) });
  });

  it('reports a pod-wide reason from preparation without trying nodes', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('a'));
    const fw = new Framework([{ name: 'Pre', prepare: () => 'pod has unbound immediate PersistentVolumeClaims' }]);
    expect(fw.decide(pod('x'), cache.nodes())).toEqual({ unresolvable: 'pod has unbound immediate PersistentVolumeClaims' });
  });

  it('picks the least allocated node', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('busy'));
    cache.setNode(node('idle'));
    cache.updatePod('default/p', pod('p', { cpu: '1', nodeName: 'busy' }));
    const d = new Framework([nodeResources]).decide(pod('x', { cpu: '100m' }), cache.nodes());
    expect('node' in d && d.node.node.metadata?.name).toBe('idle');
  });
});

describe('SchedulerCache', () => {
  it('keeps requests, pod counts and the label index as pods are placed, assumed and removed', () => {
    const c = new SchedulerCache();
    c.setNode(node('a'));
    c.updatePod('default/p1', pod('p1', { cpu: '500m', nodeName: 'a', labels: { app: 'web' }, owner: 'u1' }));
    c.assume('default/p2', pod('p2', { cpu: '250m', labels: { app: 'web' }, owner: 'u1' }), 'a');
    const a = c.node('a')!;
    expect(a.requested.cpu).toBe(750);
    expect(a.podCount).toBe(2);
    expect(a.labelCount('default', 'app=web')).toBe(2);
    expect(a.labelCount('other', 'app=web')).toBe(0);
    expect(a.ownedBy('u1')).toBe(2);
    // The informer still shows the assumed pod unbound: it stays counted.
    c.updatePod('default/p2', pod('p2', { cpu: '250m', labels: { app: 'web' } }));
    expect(c.node('a')!.podCount).toBe(2);
    // Terminating pods keep their resources and are known as terminating.
    c.updatePod('default/p1', pod('p1', { cpu: '500m', nodeName: 'a', labels: { app: 'web' }, deleting: true }));
    expect(c.node('a')!.requested.cpu).toBe(750);
    expect(c.node('a')!.labelCount('default', 'app=web')).toBe(2);
    expect([...c.node('a')!.terminating.keys()]).toEqual(['default/p1']);
    c.forget('default/p1');
    c.forget('default/p2');
    expect(c.node('a')!.podCount).toBe(0);
    expect(c.node('a')!.requested).toEqual({ cpu: 0, memory: 0 });
  });

  it('moves a pod bound elsewhere than assumed, and remembers pods of nodes it does not know (yet)', () => {
    const c = new SchedulerCache();
    c.setNode(node('a'));
    c.assume('default/p', pod('p'), 'a');
    c.updatePod('default/p', pod('p', { nodeName: 'b' }));
    expect(c.node('a')!.podCount).toBe(0);
    c.setNode(node('b'));
    expect(c.node('b')!.podCount).toBe(1);
    c.removeNode('b');
    expect(c.nodes().map((n) => n.node.metadata?.name)).toEqual(['a']);
    c.setNode(node('b'));
    expect(c.node('b')!.podCount).toBe(1);
  });

  it('forgets finished pods', () => {
    const c = new SchedulerCache();
    c.setNode(node('a'));
    const p = pod('p', { nodeName: 'a', cpu: '1' });
    c.updatePod('default/p', p);
    c.updatePod('default/p', { ...p, status: { phase: 'Succeeded' } });
    expect(c.node('a')!.requested.cpu).toBe(0);
  });
});
