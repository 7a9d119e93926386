import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, json, post, startApiServer, type ServerHarness } from './harness.ts';

let h: ServerHarness;
beforeAll(async () => {
  h = await startApiServer();
});
afterAll(() => h?.close());

const cms = '/api/v1/namespaces/default/configmaps';
const del = (path: string, body?: unknown) => h.request(path, { method: 'DELETE', ...(body ? json(body) : {}) });

describe('apiServer DELETE responses', () => {
  it('answers a removed object with a Success Status naming it, as the generic registry does', async () => {
    const uid = (await h.request(cms, post(configMap('gone')))).json!.metadata.uid;
    const r = await del(`${cms}/gone`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'gone', kind: 'configmaps', uid } });
    expect((await h.request(`${cms}/gone`)).status).toBe(404);

    await h.request('/apis/apps/v1/namespaces/default/deployments', post({ metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }));
    expect((await del('/apis/apps/v1/namespaces/default/deployments/d')).json).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'd', group: 'apps', kind: 'deployments' } });
  });

  it('answers with the object for kinds whose storage returns it (pods, services, namespaces)', async () => {
    await h.request('/api/v1/namespaces/default/pods', post({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } }));
    expect((await del('/api/v1/namespaces/default/pods/p')).json).toMatchObject({ kind: 'Pod', metadata: { name: 'p' } });
    await h.request('/api/v1/namespaces/default/services', post({ metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } }));
    expect((await del('/api/v1/namespaces/default/services/s')).json).toMatchObject({ kind: 'Service', metadata: { name: 's' } });
    await h.request('/api/v1/namespaces', post({ metadata: { name: 'short-lived' } }));
    expect((await del('/api/v1/namespaces/short-lived')).json).toMatchObject({ kind: 'Namespace', metadata: { name: 'short-lived' } });
  });

  it('answers with the marked object while finalizers hold it, 202 for legacy orphanDependents=false', async () => {
    await h.request(cms, post({ ...configMap('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } }));
    const r = await del(`${cms}/held`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'], deletionTimestamp: expect.any(String) } });
    await h.request(cms, post({ ...configMap('legacy'), metadata: { name: 'legacy', finalizers: ['example.com/hold'] } }));
    const legacy = await del(`${cms}/legacy`, { orphanDependents: false });
    expect(legacy.status).toBe(202);
    expect(legacy.json!.kind).toBe('ConfigMap');
  });

  it('answers a dry-run delete like the real one, and keeps the object', async () => {
    await h.request(cms, post(configMap('dry')));
    const r = await del(`${cms}/dry?dryRun=All`);
    expect(r.json).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'dry' } });
    expect((await h.request(`${cms}/dry`)).status).toBe(200);
  });

  it('answers a precondition mismatch with 409', async () => {
    await h.request(cms, post(configMap('pre')));
    const r = await del(`${cms}/pre`, { preconditions: { uid: 'not-the-uid' } });
    expect(r.status).toBe(409);
    // BeforeDelete names the Kind here, not the resource.
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'Conflict', details: { name: 'pre', kind: 'ConfigMap' } });
    expect(r.json!.details).not.toHaveProperty('group');
  });

  it('refuses DeleteOptions of the wrong JSON type with encoding/json\'s words and deletes nothing', async () => {
    await h.request(cms, post(configMap('typed')));
    for (const [body, message] of [
      [{ preconditions: 'x' }, 'json: cannot unmarshal string into Go struct field DeleteOptions.preconditions of type v1.Preconditions'],
      [{ preconditions: { uid: 7 } }, 'json: cannot unmarshal number into Go struct field Preconditions.preconditions.uid of type string'],
      [{ gracePeriodSeconds: '0' }, 'json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64'],
      [{ orphanDependents: 'yes' }, 'json: cannot unmarshal string into Go struct field DeleteOptions.orphanDependents of type bool'],
    ] as const) {
      const r = await del(`${cms}/typed`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', message });
    }
    expect((await h.request(`${cms}/typed`)).status).toBe(200);
  });
});
