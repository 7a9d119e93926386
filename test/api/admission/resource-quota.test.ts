import { describe, expect, it } from 'vitest';
import type { Client } from '../../../pkg/api/client/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { api, podWith, refusal } from './fixtures.ts';

type Quota = KObject & { status?: { hard?: Record<string, string>; used?: Record<string, string> } };

/** A quota with its status as the resource quota controller would have written it. */
async function quota(c: Client, name: string, hard: Record<string, string>, used: Record<string, string> | undefined, extra: object = {}): Promise<void> {
  const q = await c.resource('v1', 'resourcequotas').create('default', { metadata: { name }, spec: { hard, ...extra } } as KObject);
  await c.resource('v1', 'resourcequotas').updateStatus('default', { ...q, status: { hard, ...(used ? { used } : {}) } } as KObject);
}
const used = async (c: Client, name: string) => ((await c.resource('v1', 'resourcequotas').get('default', name)) as Quota).status?.used;

describe('resourceQuota', () => {
  it('charges creates to status.used and refuses the one that would exceed a limit', async () => {
    const c = await api();
    await quota(c, 'objects', { pods: '2', 'count/configmaps': '1' }, { pods: '0', 'count/configmaps': '0' });
    await c.resource('v1', 'pods').create('default', podWith('p1', {}));
    await c.resource('v1', 'pods').create('default', podWith('p2', {}));
    expect(await used(c, 'objects')).toEqual({ pods: '2', 'count/configmaps': '0' });
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('p3', {}))))
      .toEqual([403, 'pods "p3" is forbidden: exceeded quota: objects, requested: pods=1, used: pods=2, limited: pods=2']);
    await c.resource('v1', 'configmaps').create('default', { metadata: { name: 'a' } } as KObject);
    expect(await refusal(c.resource('v1', 'configmaps').create('default', { metadata: { name: 'b' } } as KObject)))
      .toEqual([403, 'configmaps "b" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1']);
    // Dry runs are checked but not charged; a refused write charges nothing.
    await c.resource('v1', 'pods').delete('default', 'p2', { gracePeriodSeconds: 0 });
    await c.resource('v1', 'resourcequotas').updateStatus('default', { ...(await c.resource('v1', 'resourcequotas').get('default', 'objects')), status: { hard: { pods: '2', 'count/configmaps': '1' }, used: { pods: '1', 'count/configmaps': '1' } } } as KObject);
    await c.resource('v1', 'pods').create('default', podWith('dry', {}), { dryRun: true });
    expect(await used(c, 'objects')).toEqual({ pods: '1', 'count/configmaps': '1' });
  });

  it('sums compute resources in canonical form and names only the exceeded ones', async () => {
    const c = await api();
    await quota(c, 'compute', { 'requests.cpu': '1', 'requests.memory': '1Gi', pods: '10' }, { 'requests.cpu': '0', 'requests.memory': '0', pods: '0' });
    await c.resource('v1', 'pods').create('default', podWith('a', { requests: { cpu: '600m', memory: '64Mi' } }));
    await c.resource('v1', 'pods').create('default', podWith('b', { requests: { cpu: '100m', memory: '128Mi' } }));
    expect(await used(c, 'compute')).toEqual({ 'requests.cpu': '700m', 'requests.memory': '192Mi', pods: '2' });
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('c', { requests: { cpu: '200m', memory: '1Mi' } }, { requests: { cpu: '200m', memory: '1Mi' } }))))
      .toEqual([403, 'pods "c" is forbidden: exceeded quota: compute, requested: requests.cpu=400m, used: requests.cpu=700m, limited: requests.cpu=1']);
  });

  it('makes every container state the cpu and memory values a quota limits', async () => {
    const c = await api();
    await quota(c, 'compute', { 'requests.cpu': '2', 'limits.memory': '2Gi' }, { 'requests.cpu': '0', 'limits.memory': '0' });
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('p', { requests: { cpu: '100m' } }, {}))))
      .toEqual([403, 'pods "p" is forbidden: failed quota: compute: must specify limits.memory for: c0,c1; requests.cpu for: c1']);
  });

  it('refuses while a quota\'s usage is not yet known, and ignores quotas whose scopes do not select the pod', async () => {
    const c = await api();
    await quota(c, 'fresh', { pods: '5' }, undefined);
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('p', {}))))
      .toEqual([403, 'pods "p" is forbidden: status unknown for quota: fresh, resources: pods']);
    await c.resource('v1', 'resourcequotas').delete('default', 'fresh');
    await quota(c, 'best-effort', { pods: '0' }, { pods: '0' }, { scopes: ['BestEffort'] });
    await c.resource('v1', 'pods').create('default', podWith('burstable', { requests: { cpu: '100m' } }));
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('be', {}))))
      .toEqual([403, 'pods "be" is forbidden: exceeded quota: best-effort, requested: pods=1, used: pods=0, limited: pods=0']);
    // Scoped quotas select only pods.
    await c.resource('v1', 'configmaps').create('default', { metadata: { name: 'cm' } } as KObject);
  });

  it('counts node ports and load balancers of services, and storage of claims', async () => {
    const c = await api();
    await quota(c, 'net', { 'services.nodeports': '2', 'services.loadbalancers': '0', 'requests.storage': '5Gi' }, { 'services.nodeports': '0', 'services.loadbalancers': '0', 'requests.storage': '0' });
    await c.resource('v1', 'services').create('default', { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } } as KObject);
    expect(await used(c, 'net')).toMatchObject({ 'services.nodeports': '2' });
    expect(await refusal(c.resource('v1', 'services').create('default', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } } as KObject)))
      .toEqual([403, 'services "lb" is forbidden: exceeded quota: net, requested: services.loadbalancers=1,services.nodeports=1, used: services.loadbalancers=0,services.nodeports=2, limited: services.loadbalancers=0,services.nodeports=2']);
    await c.resource('v1', 'services').create('default', { metadata: { name: 'plain' }, spec: { ports: [{ port: 80 }] } } as KObject);
    // Updates are charged by what they add: turning the plain service into a NodePort one would take a third node port.
    expect(await refusal(c.resource('v1', 'services').patch('default', 'plain', 'merge', { spec: { type: 'NodePort' } })))
      .toEqual([403, 'services "plain" is forbidden: exceeded quota: net, requested: services.nodeports=1, used: services.nodeports=2, limited: services.nodeports=2']);
    await c.resource('v1', 'services').patch('default', 'np', 'merge', { spec: { type: 'ClusterIP', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } });
    await c.resource('v1', 'services').patch('default', 'plain', 'merge', { metadata: { labels: { x: 'y' } } });
    const claim = (name: string, storage: string) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } } as KObject);
    await c.resource('v1', 'persistentvolumeclaims').create('default', claim('a', '4Gi'));
    expect(await refusal(c.resource('v1', 'persistentvolumeclaims').create('default', claim('b', '2Gi'))))
      .toEqual([403, 'persistentvolumeclaims "b" is forbidden: exceeded quota: net, requested: requests.storage=2Gi, used: requests.storage=4Gi, limited: requests.storage=5Gi']);
  });
});
