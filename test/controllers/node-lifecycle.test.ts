import { afterEach, describe, expect, it } from 'vitest';
import { createInformerFactory, inProcessClient, type Client, type InformerFactory } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { core, KObject } from '../../pkg/api/types/index.ts';
import { nodeLifecycle } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger } from '../../pkg/util/index.ts';

// A fake clock: the controller's passes are driven by tick(), never by waiting.
let informers: InformerFactory | undefined;
afterEach(async () => informers?.stop());

const t0 = Date.parse('2026-01-01T00:00:00Z');
let clock = t0;
const iso = (ms: number) => new Date(ms).toISOString();

async function setup() {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources, clock: () => new Date(clock) }), resources);
  for (const ns of ['default', 'kube-node-lease']) await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: ns } });
  informers = createInformerFactory(client, { log: silentLogger });
  const ctl = nodeLifecycle(client, informers, silentLogger, { now: () => clock, defaultTolerationSeconds: 300 });
  informers.start();
  await informers.waitForSync();
  return { client, ctl };
}

async function settle(client: Client, check: () => Promise<boolean>, tick: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await tick();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('not settled');
}

const node = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: iso(t0) }] } });
const lease = (name: string, at: number): KObject => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, renewTime: new Date(at).toISOString().replace('Z', '000Z') } });
const getNode = (c: Client, n: string) => c.resource<KObject & core.Node>('v1', 'nodes').get(undefined, n);

describe('node lifecycle', () => {
  it('marks a silent node Unknown and unreachable, evicts after tolerationSeconds, and untaints on recovery', async () => {
    clock = t0;
    const { client, ctl } = await setup();
    await client.resource('v1', 'nodes').create(undefined, node('n1'));
    await client.resource('coordination.k8s.io/v1', 'leases').create('kube-node-lease', lease('n1', t0));
    const pod = (name: string, tolerations?: core.Toleration[]) => client.resource('v1', 'pods').create('default', { metadata: { name }, spec: { nodeName: 'n1', tolerations, containers: [{ name: 'c', image: 'i' }] } } as KObject);
    await pod('plain');
    await pod('patient', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 600 }]);
    await pod('forever', [{ operator: 'Exists' }]);

    clock = t0 + 30_000; // within the grace period: nothing happens
    await ctl.tick();
    expect((await getNode(client, 'n1')).status?.conditions?.[0]?.status).toBe('True');

    clock = t0 + 45_000;
    await settle(client, async () => (await getNode(client, 'n1')).spec?.taints?.length === 2, () => ctl.tick());
    const n = await getNode(client, 'n1');
    expect(n.status?.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(n.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);

    const names = async () => (await client.resource('v1', 'pods').list('default')).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();
    clock = t0 + 45_000 + 299_000;
    await ctl.tick();
    expect(await names()).toEqual(['forever', 'patient', 'plain']);
    clock = t0 + 45_000 + 301_000;
    await settle(client, async () => !(await names()).includes('plain'), () => ctl.tick());
    expect(await names()).toEqual(['forever', 'patient']);
    clock = t0 + 45_000 + 601_000;
    await settle(client, async () => !(await names()).includes('patient'), () => ctl.tick());
    expect(await names()).toEqual(['forever']);

    // The kubelet comes back: Ready again, taints go.
    await client.resource('coordination.k8s.io/v1', 'leases').patch('kube-node-lease', 'n1', 'merge', { spec: { renewTime: new Date(clock).toISOString().replace('Z', '000Z') } });
    await client.resource('v1', 'nodes').patch(undefined, 'n1', 'merge', { status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: iso(clock) }] } }, { subresource: 'status' });
    await settle(client, async () => !(await getNode(client, 'n1')).spec?.taints, () => ctl.tick());
  });

  it('taints a node that reports Ready=False as not-ready', async () => {
    clock = t0;
    const { client, ctl } = await setup();
    await client.resource('v1', 'nodes').create(undefined, { ...node('n2'), status: { conditions: [{ type: 'Ready', status: 'False', lastHeartbeatTime: iso(t0) }] } });
    await client.resource('coordination.k8s.io/v1', 'leases').create('kube-node-lease', lease('n2', t0));
    await settle(client, async () => (await getNode(client, 'n2')).spec?.taints?.length === 2, () => ctl.tick());
    expect((await getNode(client, 'n2')).spec?.taints?.[0]?.key).toBe('node.kubernetes.io/not-ready');
  });
});
