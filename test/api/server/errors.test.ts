import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBodyBytes } from '../../../pkg/api/server/body.ts';
import { configMap, json, post, startApiServer, type Reply, type ServerHarness } from './harness.ts';

let h: ServerHarness;
beforeAll(async () => {
  h = await startApiServer();
});
afterAll(() => h?.close());

const cms = '/api/v1/namespaces/default/configmaps';

/** A Kubernetes Status with this code and reason, as JSON, never HTML or a 500. */
function expectStatus(r: Reply, code: number, reason: string): void {
  expect(r.status, r.text).toBe(code);
  expect(r.headers['content-type']).toBe('application/json');
  expect(r.json).toMatchObject({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, code });
  expect(typeof r.json!.message).toBe('string');
}

describe('apiServer errors', () => {
  it('answers a body over 3 MiB with 413, declared or chunked', async () => {
    const big = JSON.stringify({ ...configMap('big'), data: { k: 'x'.repeat(maxBodyBytes) } });
    expectStatus(await h.request(cms, post(JSON.parse(big))), 413, 'RequestEntityTooLarge');
    const chunked = await h.request(cms, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: big });
    expectStatus(chunked, 413, 'RequestEntityTooLarge');
    // The server is still fine afterwards.
    expect((await h.request(cms, post(configMap('after-big')))).status).toBe(201);
  });

  it('answers malformed JSON and YAML bodies with 400', async () => {
    expectStatus(await h.request(cms, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"kind": "ConfigMap",' }), 400, 'BadRequest');
    expectStatus(await h.request(cms, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: 'kind: ConfigMap\n  metadata: [\n' }), 400, 'BadRequest');
    expectStatus(await h.request(cms, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '' }), 400, 'BadRequest');
    expectStatus(await h.request(cms, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[1,2]' }), 400, 'BadRequest');
    expectStatus(await h.request(cms, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'null' }), 400, 'BadRequest');
    expectStatus(await h.request(`${cms}/x`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{' }), 400, 'BadRequest');
    expectStatus(await h.request(`${cms}/x`, { method: 'PATCH', headers: { 'Content-Type': 'application/apply-patch+yaml' }, body: ': : :\n\t-' }), 400, 'BadRequest');
  });

  it('reads YAML bodies and fills in the kind from the URL', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n';
    const r = await h.request(cms, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: yaml });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'from-yaml', namespace: 'default' }, data: { a: 'b' } });
    const bare = await h.request(cms, post({ metadata: { name: 'bare' } }));
    expect(bare.status, bare.text).toBe(201);
    expect(bare.json).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bare' } });
  });

  it('rejects bodies of the wrong shape with 400 or 422, never 500', async () => {
    for (const body of [{ metadata: 'x' }, { metadata: { name: 5 } }, { metadata: { name: 'l', labels: 'x' } }, { metadata: { name: 'd' }, data: [1] }, { metadata: { name: 'a', annotations: { k: 1 } } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }]) {
      const r = await h.request(cms, post(body));
      expect([400, 422], `${JSON.stringify(body)} → ${r.text}`).toContain(r.status);
      expect(r.json).toMatchObject({ kind: 'Status', status: 'Failure' });
    }
  });

  it('judges null list items and map values as the zero values Go decodes them to', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    const spec = (container: unknown) => ({ metadata: { name: 'nulls' }, spec: { containers: [container] } });
    const port = await h.request(pods, post(spec({ name: 'c', image: 'i', ports: [null] })));
    expectStatus(port, 422, 'Invalid');
    expect(port.json!.message).toContain('spec.containers[0].ports[0].containerPort');
    const container = await h.request(pods, post(spec(null)));
    expectStatus(container, 422, 'Invalid');
    expect(container.json!.message).toContain('spec.containers[0].name: Required value');
    const created = await h.request(pods, post(spec({ name: 'c', image: 'i', resources: { requests: { cpu: null, memory: '1Mi' } } })));
    expect(created.status, created.text).toBe(201);
    expect(created.json!.spec.containers[0].resources.requests).toEqual({ cpu: '0', memory: '1Mi' });
  });

  it('words ObjectMeta type errors as Go\'s decoder does', async () => {
    const r = await h.request(cms, post({ metadata: { name: 'f', finalizers: 'a' } }));
    expectStatus(r, 400, 'BadRequest');
    expect(r.json!.message).toBe('json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string');
    expect((await h.request(cms, post({ metadata: { name: 'g', generateName: 7 } }))).json!.message).toBe('json: cannot unmarshal number into Go struct field ObjectMeta.metadata.generateName of type string');
    expect((await h.request(cms, post({ metadata: { name: 'o', ownerReferences: [1] } }))).json!.message).toBe('json: cannot unmarshal number into Go struct field ObjectMeta.metadata.ownerReferences of type struct');
  });

  it('answers specs of the wrong shape with 400, on every write verb', async () => {
    const deps = '/apis/apps/v1/namespaces/default/deployments';
    const created = await h.request(deps, post({ metadata: { name: 'shape' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }));
    expect(created.status).toBe(201);
    const created400 = await h.request(deps, post({ metadata: { name: 'bad' }, spec: 'x' }));
    expectStatus(created400, 400, 'BadRequest');
    expect(created400.json!.message).toMatch(/^Deployment in version "v1" cannot be handled as a Deployment: /);
    const patch = (body: string, type = 'application/merge-patch+json') => h.request(`${deps}/shape`, { method: 'PATCH', headers: { 'Content-Type': type }, body });
    for (const r of [await patch('{"spec":"x"}'), await patch('{"spec":{"template":{"spec":{"containers":"x"}}}}', 'application/strategic-merge-patch+json'), await patch('[{"op":"replace","path":"/spec","value":[]}]', 'application/json-patch+json')]) {
      expect([400, 422], r.text).toContain(r.status);
      expect(r.json).toMatchObject({ kind: 'Status', status: 'Failure' });
    }
    expectStatus(await h.request(`${deps}/shape`, { method: 'PUT', ...json({ ...created.json, spec: 'x' }) }), 400, 'BadRequest');
  });

  it('answers unknown paths and resources with 404', async () => {
    const notFound = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 };
    for (const path of ['/nope', '/api/v1/nopes', '/api/v2/pods', '/apis/nope.io/v1/things', '/apis/apps/v9/deployments', '/api/v1/namespaces/default/configmaps/x/y/z', '/api/v1/namespaces/default/nodes', '/apis/apps/v1/nope', '/openapi/v3/apis/nope/v1']) {
      const r = await h.request(path);
      expect(r.status, path).toBe(404);
      expect(r.json, path).toEqual(notFound);
    }
    expectStatus(await h.request(`${cms}/x/status`), 404, 'NotFound');
    expect((await h.request(`${cms}/missing`)).json).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "missing" not found', reason: 'NotFound', details: { name: 'missing', kind: 'configmaps' }, code: 404,
    });
  });

  it('answers bad escapes in the path with a Status', async () => {
    expectStatus(await h.request('/api/v1/namespaces/%ZZ/configmaps'), 400, 'BadRequest');
  });

  it('answers a method the path does not serve with 405', async () => {
    expectStatus(await h.request(cms, { method: 'PUT', ...json(configMap('x')) }), 405, 'MethodNotAllowed');
    expectStatus(await h.request(cms, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{}' }), 405, 'MethodNotAllowed');
    expectStatus(await h.request('/version', { method: 'POST', ...json({}) }), 405, 'MethodNotAllowed');
    expectStatus(await h.request('/api/v1', { method: 'DELETE' }), 405, 'MethodNotAllowed');
    expectStatus(await h.request(`${cms}/x`, post(configMap('x'))), 405, 'MethodNotAllowed');
  });

  it('answers values of the wrong JSON type with 400 as the typed decode does, storing nothing', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    const bad = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'typed' }, spec: { containers: [{ name: 'c', image: 'i', ports: {} }] } };
    const r = await h.request(pods, post(bad));
    expectStatus(r, 400, 'BadRequest');
    expect(r.json?.message).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal object into Go struct field Container.spec.containers.ports of type []v1.ContainerPort');
    expect((await h.request(`${pods}/typed`)).status).toBe(404);
    await h.request(cms, post(configMap('typed-cm')));
    const patched = await h.request(`${cms}/typed-cm`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"data":{"k":[1]}}' });
    expectStatus(patched, 400, 'BadRequest');
    expect(patched.json?.message).toBe('json: cannot unmarshal array into Go struct field ConfigMap.data.k of type string');
  });

  it('answers media types it cannot read with 415', async () => {
    expectStatus(await h.request(cms, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hi' }), 415, 'UnsupportedMediaType');
    await h.request(cms, post(configMap('patchme')));
    expectStatus(await h.request(`${cms}/patchme`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{}' }), 415, 'UnsupportedMediaType');
  });

  it('answers bad query parameters with 400', async () => {
    for (const q of ['limit=abc', 'labelSelector=a%20in%20(b', 'fieldSelector=bogus', 'fieldSelector=data.k%3Dv', 'resourceVersionMatch=Bogus', 'continue=garbage&limit=1', 'resourceVersion=abc&watch=true', 'timeoutSeconds=x&watch=true', 'limit=99999999999999999999']) {
      const r = await h.request(`${cms}?${q}`);
      expect(r.status, `${q}: ${r.text}`).toBe(400);
      expect(r.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    }
    // Within int64 but past any store: all items, in one page.
    expect((await h.request(`${cms}?limit=9223372036854775807`)).json?.metadata.continue).toBeUndefined();
    // As upstream's ValidateCreateOptions: 422 naming the options kind.
    const dry = await h.request(`${cms}?dryRun=Bogus`, post(configMap('dry')));
    expectStatus(dry, 422, 'Invalid');
    expect(dry.json?.message).toBe('CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Bogus"}: supported values: "All"');
    const fv = await h.request(`${cms}?fieldValidation=Bogus`, post(configMap('fv')));
    expectStatus(fv, 422, 'Invalid');
    expect(fv.json?.message).toBe('CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"');
    expectStatus(await h.request(`${cms}/patchme?dryRun=Bogus`, { method: 'DELETE' }), 422, 'Invalid');
    const asString = await h.request(`${cms}/patchme`, { method: 'DELETE', headers: { 'Content-Type': 'application/json' }, body: '{"dryRun":"All"}' });
    expectStatus(asString, 400, 'BadRequest');
    expect(asString.json?.message).toBe('json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string');
    expectStatus(await h.request(`${cms}/patchme?propagationPolicy=Bogus`, { method: 'DELETE' }), 400, 'BadRequest');
    expectStatus(await h.request(`${cms}/patchme?gracePeriodSeconds=soon`, { method: 'DELETE' }), 400, 'BadRequest');
  });

  it('answers requests without credentials with 401', async () => {
    const r = await h.anonymous(cms);
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  it('answers conflicts and duplicates with 409 without the empty core group', async () => {
    const first = await h.request(cms, post(configMap('dup')));
    expect(first.status).toBe(201);
    expect((await h.request(cms, post(configMap('dup')))).json).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "dup" already exists', reason: 'AlreadyExists', details: { name: 'dup', kind: 'configmaps' }, code: 409,
    });
    const stale = { ...first.json, metadata: { ...first.json!.metadata, resourceVersion: '1' } };
    expectStatus(await h.request(`${cms}/dup`, { method: 'PUT', ...json(stale) }), 409, 'Conflict');
  });
});
