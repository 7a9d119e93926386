import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { core, KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, enableLbLabel, loadBalancerIPs, serviceLbController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

type Node = core.Node & KObject;
const node = (name: string, ip: string, ready = true, labels: Record<string, string> = {}): Node => ({
  metadata: { name, labels }, status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  loops = controlLoops(() => client, [serviceLbController], silentLogger);
  await loops.start(new AbortController().signal);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  return client;
}
async function addNode(c: Client, n: Node): Promise<void> {
  const { status, ...rest } = n;
  await c.resource('v1', 'nodes').create(undefined, rest);
  await c.resource('v1', 'nodes').patch(undefined, n.metadata.name!, 'merge', { status }, { subresource: 'status' });
}
const ingressOf = async (c: Client, name: string) => ((await c.resource<core.Service & KObject>('v1', 'services').get('default', name)).status?.loadBalancer?.ingress ?? []).map((i) => i.ip);
async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn())}`);
}

describe('loadBalancerIPs', () => {
  it('gives the InternalIPs of ready schedulable nodes, or only of nodes labelled enablelb=true when there are some', () => {
    const cordoned = { ...node('c', '192.0.2.3'), spec: { unschedulable: true } };
    expect(loadBalancerIPs([node('b', '192.0.2.9'), node('a', '192.0.2.1'), node('x', '192.0.2.5', false), cordoned])).toEqual(['192.0.2.1', '192.0.2.9']);
    expect(loadBalancerIPs([node('a', '192.0.2.1'), node('b', '192.0.2.9', true, { [enableLbLabel]: 'true' })])).toEqual(['192.0.2.9']);
    expect(loadBalancerIPs([node('a', '192.0.2.1', true, { [enableLbLabel]: 'false' }), node('b', '192.0.2.9')])).toEqual(['192.0.2.9']);
  });
});

describe('serviceLbController', () => {
  it('publishes LoadBalancer services on the ready nodes\' addresses, follows node changes, and clears the ingress of a former LoadBalancer', async () => {
    const c = await cluster();
    await addNode(c, node('n1', '192.0.2.1'));
    await c.resource('v1', 'services').create('default', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } } as KObject);
    await c.resource('v1', 'services').create('default', { metadata: { name: 'plain' }, spec: { ports: [{ port: 80 }] } } as KObject);
    await c.resource('v1', 'services').create('default', { metadata: { name: 'other' }, spec: { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb', ports: [{ port: 80 }] } } as KObject);
    expect(await until('ingress', () => ingressOf(c, 'lb'), (i) => i.length === 1)).toEqual(['192.0.2.1']);

    await addNode(c, node('n2', '192.0.2.2'));
    expect(await until('second node', () => ingressOf(c, 'lb'), (i) => i.length === 2)).toEqual(['192.0.2.1', '192.0.2.2']);
    await c.resource('v1', 'nodes').patch(undefined, 'n1', 'merge', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, { subresource: 'status' });
    expect(await until('not-ready node left out', () => ingressOf(c, 'lb'), (i) => i.length === 1)).toEqual(['192.0.2.2']);

    await c.resource('v1', 'services').patch('default', 'lb', 'merge', { spec: { type: 'ClusterIP' } });
    expect(await until('cleared', () => ingressOf(c, 'lb'), (i) => i.length === 0)).toEqual([]);
    expect(await ingressOf(c, 'plain')).toEqual([]);
    expect(await ingressOf(c, 'other')).toEqual([]);
  });
});
