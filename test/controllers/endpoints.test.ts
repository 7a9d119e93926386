import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, endpointsController, garbageCollector, serviceAccountController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  loops = controlLoops(() => client, [endpointsController, serviceAccountController, garbageCollector], silentLogger);
  await loops.start(new AbortController().signal);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  return client;
}
async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn().catch((e: Error) => e.message)).slice(0, 600)}`);
}

const pod = (name: string, ip: string, ready: boolean) => ({ name, ip, ready });
async function addPod(c: Client, p: { name: string; ip: string; ready: boolean }): Promise<void> {
  await c.resource('v1', 'pods').create('default', { metadata: { name: p.name, labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 }] }] } } as KObject);
  await c.resource('v1', 'pods').patch('default', p.name, 'merge', { status: { phase: 'Running', podIP: p.ip, conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False' }] } }, { subresource: 'status' });
}

describe('endpoints and service accounts', () => {
  it('lists ready and not-ready pods of a service in Endpoints and an EndpointSlice, resolving named ports', async () => {
    const c = await cluster();
    await c.resource('v1', 'services').create('default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } } as KObject);
    await addPod(c, pod('a', '10.42.0.5', true));
    await addPod(c, pod('b', '10.42.0.3', false));
    const ep = await until('endpoints', () => c.resource('v1', 'endpoints').get('default', 'web'), (e) => JSON.stringify(e).includes('10.42.0.3'));
    expect((ep as { subsets?: unknown }).subsets).toEqual([{
      addresses: [{ ip: '10.42.0.5', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: expect.any(String) } }],
      notReadyAddresses: [{ ip: '10.42.0.3', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: expect.any(String) } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }]);
    const slices = await until('slice', () => c.resource('discovery.k8s.io/v1', 'endpointslices').list('default', { labelSelector: 'kubernetes.io/service-name=web' }),
      (l) => l.items.length === 1 && ((l.items[0] as { endpoints?: unknown[] }).endpoints?.length ?? 0) === 2);
    const slice = slices.items[0] as KObject & { endpoints: { addresses: string[]; conditions: { ready: boolean } }[]; ports: object[] };
    expect(slice.endpoints.map((e) => [e.addresses[0], e.conditions.ready])).toEqual([['10.42.0.3', false], ['10.42.0.5', true]]);
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    // Readiness changes move the pod; deleting the service removes both.
    await c.resource('v1', 'pods').patch('default', 'b', 'merge', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    await until('both ready', () => c.resource('v1', 'endpoints').get('default', 'web'), (e) => ((e as { subsets?: { addresses?: unknown[] }[] }).subsets?.[0]?.addresses?.length ?? 0) === 2);
    await c.resource('v1', 'services').delete('default', 'web');
    await until('endpoints gone', () => c.resource('v1', 'endpoints').list('default'), (l) => l.items.length === 0);
    await until('slice gone', () => c.resource('discovery.k8s.io/v1', 'endpointslices').list('default'), (l) => l.items.length === 0);
  });

  it('publishes spec.hostname of pods whose subdomain names the service; publishNotReadyAddresses counts every pod ready', async () => {
    const c = await cluster();
    await c.resource('v1', 'services').create('default', { metadata: { name: 'db' }, spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } } as KObject);
    await addPod(c, pod('db-0', '10.42.0.7', false));
    await c.resource('v1', 'pods').create('default', { metadata: { name: 'db-1', labels: { app: 'web' } }, spec: { hostname: 'db-1', subdomain: 'db', nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } } as KObject);
    await c.resource('v1', 'pods').patch('default', 'db-1', 'merge', { status: { phase: 'Running', podIP: '10.42.0.8', conditions: [{ type: 'Ready', status: 'False' }] } }, { subresource: 'status' });
    type Slice = { endpoints?: { addresses: string[]; hostname?: string; conditions: { ready: boolean; serving: boolean } }[] };
    const slices = await until('slice', () => c.resource('discovery.k8s.io/v1', 'endpointslices').list('default', { labelSelector: 'kubernetes.io/service-name=db' }),
      (l) => ((l.items[0] as Slice | undefined)?.endpoints?.length ?? 0) === 2);
    expect((slices.items[0] as Slice).endpoints).toMatchObject([
      { addresses: ['10.42.0.7'], conditions: { ready: true, serving: false } },
      { addresses: ['10.42.0.8'], hostname: 'db-1', conditions: { ready: true, serving: false } },
    ]);
    expect((slices.items[0] as Slice).endpoints![0]).not.toHaveProperty('hostname');
    const ep = await c.resource('v1', 'endpoints').get('default', 'db') as { subsets?: { addresses?: { ip: string; hostname?: string }[] }[] };
    expect(ep.subsets?.[0]?.addresses?.map((a) => [a.ip, a.hostname])).toEqual([['10.42.0.7', undefined], ['10.42.0.8', 'db-1']]);
  });

  it('gives every namespace a default service account, again if deleted', async () => {
    const c = await cluster();
    await until('default sa', () => c.resource('v1', 'serviceaccounts').get('default', 'default'), () => true);
    await c.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'team' } });
    await until('team sa', () => c.resource('v1', 'serviceaccounts').get('team', 'default'), () => true);
    await c.resource('v1', 'serviceaccounts').delete('team', 'default');
    await until('recreated', () => c.resource('v1', 'serviceaccounts').get('team', 'default'), () => true);
  });
});
