import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ServerHarness } from './harness.ts';

let h: ServerHarness;
beforeAll(async () => {
  h = await startApiServer();
});
afterAll(() => h?.close());

const aggregatedAccept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('apiServer fixed endpoints', () => {
  it('serves /version as a 1.32 server (the kubectl dispatcher picks its binary by minor)', async () => {
    const r = await h.request('/version?timeout=5s');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json).toMatchObject({ major: '1', minor: '32', gitTreeState: 'clean', platform: expect.stringMatching(/^linux\/(amd64|arm64)$/) });
    expect(r.json!.gitVersion).toMatch(/^v1\.32\.\d+\+skiff/);
  });

  it('serves /healthz, /livez and /readyz as plain "ok", with the checks when verbose', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const r = await h.request(path);
      expect([r.status, r.text, r.headers['content-type']]).toEqual([200, 'ok', 'text/plain; charset=utf-8']);
      const verbose = await h.request(`${path}?verbose`);
      expect(verbose.status).toBe(200);
      expect(verbose.text).toMatch(/^\[\+\]ping ok\n/);
      expect(verbose.text.endsWith(`${path.slice(1)} check passed\n`)).toBe(true);
    }
  });

  it('serves aggregated discovery with the content type client-go decodes by', async () => {
    const apis = await h.request('/apis', { headers: { Accept: aggregatedAccept } });
    expect(apis.status).toBe(200);
    expect(apis.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(apis.json).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    const apps = apis.json!.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
    expect(deployments).toMatchObject({ responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, scope: 'Namespaced', singularResource: 'deployment' });
    expect(deployments.subresources).toContainEqual(expect.objectContaining({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } }));

    const core = await h.request('/api', { headers: { Accept: aggregatedAccept } });
    expect(core.json!.items.map((g: { metadata: { name?: string } }) => g.metadata.name ?? '')).toEqual(['']);
    expect(core.json!.items[0].versions[0].resources.map((r: { resource: string }) => r.resource)).toContain('pods');

    const beta = await h.request('/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' } });
    expect(beta.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    expect(beta.json!.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
  });

  it('serves legacy discovery as plain application/json', async () => {
    const apis = await h.request('/apis', { headers: { Accept: 'application/json, */*' } });
    expect(apis.headers['content-type']).toBe('application/json');
    expect(apis.json).toMatchObject({ kind: 'APIGroupList', apiVersion: 'v1' });
    const api = await h.request('/api');
    expect(api.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0' }] });
    const v1 = await h.request('/api/v1');
    expect(v1.json).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    expect(v1.json!.resources).toContainEqual(expect.objectContaining({ name: 'pods', namespaced: true, kind: 'Pod', shortNames: ['po'] }));
    expect((await h.request('/apis/apps')).json).toMatchObject({ kind: 'APIGroup', name: 'apps', preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } });
  });

  it('serves the OpenAPI v3 index and its documents, and v2 as JSON or protobuf', async () => {
    const index = await h.request('/openapi/v3');
    expect(index.status).toBe(200);
    const url = index.json!.paths['apis/apps/v1'].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    const doc = await h.request(url);
    expect(doc.status).toBe(200);
    expect(doc.headers['cache-control']).toBe('public, immutable');
    expect(doc.json!.openapi).toMatch(/^3\./);
    const pb = await h.open('/openapi/v2', { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    expect(pb.statusCode).toBe(200);
    expect(pb.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const bytes = Buffer.concat(await pb.toArray());
    // Document.swagger (field 1) comes first: tag 0x0a, length 3, "2.0".
    expect([...bytes.subarray(0, 5)]).toEqual([0x0a, 3, ...Buffer.from('2.0')]);
    expect(Number(pb.headers['content-length'])).toBe(bytes.length);
    const json = await h.request('/openapi/v2', { headers: { Accept: 'application/json' } });
    expect(json.json).toMatchObject({ swagger: '2.0' });
    const v2 = await h.request('/openapi/v2', { headers: { Accept: 'text/plain' } });
    expect(v2.status).toBe(406);
    expect(v2.json).toMatchObject({ kind: 'Status', reason: 'NotAcceptable', code: 406 });
  });
});
