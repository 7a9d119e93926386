import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../../../pkg/api/resources/index.ts';
import { route } from '../../../pkg/api/server/route.ts';
import { startApiServer, type ServerHarness } from './harness.ts';

const find = (group: string, version: string, plural: string) => resources.find((d) => d.group === group && d.version === version && d.plural === plural);
const at = (path: string) => {
  const r = route(path, find);
  return r.type === 'resource' ? { plural: r.def.plural, namespace: r.namespace, name: r.name, subresource: r.subresource } : r;
};

describe('route', () => {
  it('names namespaced collections, items and their subresources', () => {
    expect(at('/api/v1/namespaces/default/pods')).toEqual({ plural: 'pods', namespace: 'default', name: undefined, subresource: undefined });
    expect(at('/api/v1/namespaces/default/pods/p/status')).toEqual({ plural: 'pods', namespace: 'default', name: 'p', subresource: 'status' });
    expect(at('/apis/apps/v1/namespaces/x/deployments/d/scale')).toEqual({ plural: 'deployments', namespace: 'x', name: 'd', subresource: 'scale' });
  });

  it('reads /api/v1/namespaces/{name}/{sub} as the Namespace\'s own subresource (kubectl replace --raw …/finalize)', () => {
    expect(at('/api/v1/namespaces/stuck/finalize')).toEqual({ plural: 'namespaces', namespace: undefined, name: 'stuck', subresource: 'finalize' });
    expect(at('/api/v1/namespaces/stuck/status')).toEqual({ plural: 'namespaces', namespace: undefined, name: 'stuck', subresource: 'status' });
    expect(at('/api/v1/namespaces/stuck')).toEqual({ plural: 'namespaces', namespace: undefined, name: 'stuck', subresource: undefined });
  });

  it('404s what names no resource', () => {
    expect(() => route('/apis/apps/v1/namespaces/x/finalize', find)).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 404 }) }));
    expect(() => route('/api/v1/namespaces/x/pods/p/status/more', find)).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 404 }) }));
    expect(() => route('/api/v1/nodes/n/x/y', find)).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 404 }) }));
  });
});

describe('namespace subresources over HTTP', () => {
  let h: ServerHarness;
  beforeAll(async () => {
    h = await startApiServer();
  });
  afterAll(async () => {
    await h.close();
  });
  const put = (body: unknown) => ({ method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('serves GET …/status and PUT …/finalize of a namespace', async () => {
    expect((await h.request('/api/v1/namespaces', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"metadata":{"name":"held"}}' })).status).toBe(201);
    const st = await h.request('/api/v1/namespaces/held/status');
    expect(st.status, st.text).toBe(200);
    expect(st.json).toMatchObject({ kind: 'Namespace', metadata: { name: 'held' }, status: { phase: 'Active' } });
    const fin = await h.request('/api/v1/namespaces/held/finalize', put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held' }, spec: { finalizers: ['example.com/hold'] } }));
    expect(fin.status, fin.text).toBe(200);
    expect(fin.json?.spec).toEqual({ finalizers: ['example.com/hold'] });
    const bad = await h.request('/api/v1/namespaces/held/finalize', put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held' }, spec: { finalizers: 'kubernetes' } }));
    expect(bad.status).toBe(400);
    expect((await h.request('/api/v1/namespaces/held')).json?.spec).toEqual({ finalizers: ['example.com/hold'] });
    expect((await h.request('/api/v1/namespaces/held/bogus')).status).toBe(404);
  });
});
