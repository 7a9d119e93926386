import { describe, expect, it } from 'vitest';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { failure, type Cluster } from '../registry/fixtures.ts';
import { container, def, namespaces, pods, realCluster } from './helpers.ts';

// The field selectors each kind supports upstream, through the registry's list.

const names = async (c: Cluster, d: ResourceDef, fieldSelector: string, ns: string | undefined = d.namespaced ? 'default' : undefined) =>
  (await c.list(d, ns, { fieldSelector })).items.map((o) => o.metadata.name).sort();

async function setStatus(c: Cluster, name: string, status: Record<string, unknown>): Promise<void> {
  const p = await c.get(pods, 'default', name);
  await c.update(pods, 'default', { ...p, status: { ...(p.status as object), ...status } }, { subresource: 'status' });
}

describe('field selectors', () => {
  it('selects pods by node, phase, policy, scheduler, service account and IP', async () => {
    const c = await realCluster();
    await c.create(pods, 'default', { metadata: { name: 'a' }, spec: { nodeName: 'n1', containers: [container()] } });
    await c.create(pods, 'default', { metadata: { name: 'b' }, spec: { nodeName: 'n2', restartPolicy: 'Never', serviceAccountName: 'robot', schedulerName: 'custom', hostNetwork: true, containers: [container()] } });
    await setStatus(c, 'b', { phase: 'Running', podIP: '10.42.0.7', podIPs: [{ ip: '10.42.0.7' }], nominatedNodeName: 'n3' });
    expect(await names(c, pods, 'spec.nodeName=n1')).toEqual(['a']);
    expect(await names(c, pods, 'spec.host=n2')).toEqual(['b']);
    expect(await names(c, pods, 'spec.nodeName=n2,status.phase!=Succeeded,status.phase!=Failed')).toEqual(['b']);
    expect(await names(c, pods, 'status.phase=Pending')).toEqual(['a']);
    expect(await names(c, pods, 'spec.restartPolicy=Always')).toEqual(['a']);
    expect(await names(c, pods, 'spec.schedulerName=default-scheduler')).toEqual(['a']);
    expect(await names(c, pods, 'spec.serviceAccountName=default')).toEqual(['a']);
    expect(await names(c, pods, 'spec.hostNetwork=true')).toEqual(['b']);
    expect(await names(c, pods, 'status.podIP=10.42.0.7')).toEqual(['b']);
    expect(await names(c, pods, 'status.nominatedNodeName=n3')).toEqual(['b']);
    expect(await names(c, pods, 'status.podIPs!=x')).toEqual(['a', 'b']);
    expect(await names(c, pods, 'metadata.name=a')).toEqual(['a']);
  });

  it('selects events by involved object, reason, type and source', async () => {
    const c = await realCluster();
    const events = def('', 'v1', 'events');
    const ev = (name: string, extra: Record<string, unknown>): KObject => ({ metadata: { name }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: 'u1' }, reason: 'Pulled', type: 'Normal', ...extra } as KObject);
    await c.create(events, 'default', ev('e1', { source: { component: 'kubelet' } }));
    await c.create(events, 'default', ev('e2', { reason: 'Failed', type: 'Warning', reportingComponent: 'skiff-agent', involvedObject: { kind: 'Node', name: 'n1', uid: 'n1' } }));
    expect(await names(c, events, 'involvedObject.kind=Pod,involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=u1')).toEqual(['e1']);
    expect(await names(c, events, 'involvedObject.namespace=')).toEqual(['e2']);
    expect(await names(c, events, 'reason=Failed')).toEqual(['e2']);
    expect(await names(c, events, 'type!=Normal')).toEqual(['e2']);
    expect(await names(c, events, 'source=kubelet')).toEqual(['e1']);
    // source falls back to the reporting controller.
    expect(await names(c, events, 'source=skiff-agent')).toEqual(['e2']);
    expect(await names(c, events, 'reportingComponent=skiff-agent')).toEqual(['e2']);
    const v1 = def('events.k8s.io', 'v1', 'events');
    expect(await names(c, v1, 'regarding.kind=Node,reportingController=skiff-agent')).toEqual(['e2']);
    expect((await failure(c.list(v1, 'default', { fieldSelector: 'involvedObject.kind=Pod' }))).message).toBe('field label not supported: involvedObject.kind');
  });

  it('selects secrets by type, namespaces by phase, nodes by schedulability, replica sets and jobs by status', async () => {
    const c = await realCluster();
    const secrets = def('', 'v1', 'secrets');
    await c.create(secrets, 'default', { metadata: { name: 'plain' } });
    await c.create(secrets, 'default', { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } } as KObject);
    expect(await names(c, secrets, 'type=kubernetes.io/tls')).toEqual(['tls']);
    expect(await names(c, namespaces, 'status.phase=Active')).toEqual(['default']);
    const nodes = def('', 'v1', 'nodes');
    await c.create(nodes, undefined, { metadata: { name: 'n1' } });
    await c.create(nodes, undefined, { metadata: { name: 'n2' }, spec: { unschedulable: true } });
    expect(await names(c, nodes, 'spec.unschedulable=false')).toEqual(['n1']);
    const services = def('', 'v1', 'services');
    await c.create(services, 'default', { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    await c.create(services, 'default', { metadata: { name: 'db' }, spec: { clusterIP: 'None', ports: [{ port: 5432 }] } });
    expect(await names(c, services, 'spec.clusterIP=None')).toEqual(['db']);
    expect(await names(c, services, 'spec.type=ClusterIP')).toEqual(['db', 'web']);
    expect(await names(c, def('apps', 'v1', 'replicasets'), 'status.replicas=0')).toEqual([]);
    expect(await names(c, def('batch', 'v1', 'jobs'), 'status.successful=0')).toEqual([]);
  });

  it('answers 400 for fields a kind does not support', async () => {
    const c = await realCluster();
    const f = await failure(c.list(pods, 'default', { fieldSelector: 'spec.containers=x' }));
    expect([f.code, f.reason, f.message]).toEqual([400, 'BadRequest', 'field label not supported: spec.containers']);
    expect((await failure(c.list(def('', 'v1', 'secrets'), 'default', { fieldSelector: 'data=x' }))).code).toBe(400);
  });
});
