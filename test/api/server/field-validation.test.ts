import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonDuplicates, yamlDuplicates } from '../../../pkg/api/server/duplicates.ts';
import { startApiServer, type ServerHarness } from './harness.ts';

const cms = '/api/v1/namespaces/default/configmaps';
const deploys = '/apis/apps/v1/namespaces/default/deployments';
const json = (method: string, body: string, type = 'application/json') => ({ method, headers: { 'Content-Type': type }, body });

// A Deployment body written by hand, with a repeated key and an unknown one.
const deployment = (name: string) =>
  `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"${name}"},"spec":{"paused":true,"paused":false,"foo":1,` +
  `"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}`;

describe('jsonDuplicates', () => {
  it('names repeated keys by their path, list items by index', () => {
    expect(jsonDuplicates(deployment('d'))).toEqual(['duplicate field "spec.paused"', 'duplicate field "spec.template.spec.containers[0].imagePullPolicy"']);
    expect(jsonDuplicates('{"a":{"b":"}\\"","b":[1,{"c":2,"c":3}]},"a":0}')).toEqual(['duplicate field "a.b"', 'duplicate field "a.b[1].c"', 'duplicate field "a"']);
    expect(jsonDuplicates('[{"op":"add"}]')).toEqual([]);
  });
});

describe('yamlDuplicates', () => {
  it('reports every repeated key with its line, in block and flow (JSON) style', () => {
    expect(yamlDuplicates('a: 1\nb:\n  c: 1\n  c: 2\n  \'c\': 3\na: 3\n')).toEqual([
      'line 4: key "c" already set in map',
      'line 5: key "c" already set in map',
      'line 6: key "a" already set in map',
    ]);
    expect(yamlDuplicates('{"a":1,"b":{"c":1,"c":2},"a":3}')).toEqual(['line 1: key "c" already set in map', 'line 1: key "a" already set in map']);
    expect(yamlDuplicates('a: 1\n')).toEqual([]);
    expect(yamlDuplicates('a: [\n')).toEqual([]);
  });
});

describe('fieldValidation over HTTP', () => {
  let h: ServerHarness;
  beforeAll(async () => {
    h = await startApiServer();
  });
  afterAll(async () => {
    await h.close();
  });

  it('Strict refuses unknown and repeated fields in one 400 and stores nothing', async () => {
    const r = await h.request(`${deploys}?fieldValidation=Strict`, json('POST', deployment('strict')));
    expect(r.status).toBe(400);
    expect(r.json?.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", duplicate field "spec.paused", duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    );
    expect((await h.request(`${deploys}/strict`)).status).toBe(404);
  });

  it('Warn (the default) stores the last value of a repeated key, drops unknown fields and sends Warning headers', async () => {
    const r = await h.request(deploys, json('POST', deployment('warn')));
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBe(
      '299 - "unknown field \\"spec.foo\\"", 299 - "duplicate field \\"spec.paused\\"", 299 - "duplicate field \\"spec.template.spec.containers[0].imagePullPolicy\\""',
    );
    expect(r.json?.spec.paused).toBe(false);
    expect(r.json?.spec.foo).toBeUndefined();
    expect(r.json?.spec.template.spec.containers[0].imagePullPolicy).toBe('Never');
  });

  it('escapes what a Warning header cannot carry: control bytes and non-Latin-1 field names', async () => {
    const r = await h.request(cms, json('POST', '{"metadata":{"name":"odd-keys"},"\\u0001\u007f\u00f1💥":1}'));
    expect(r.status, r.text).toBe(201);
    expect(r.headers.warning).toBe('299 - "unknown field \\"\\u0001\\u007f\\u00f1\\ud83d\\udca5\\""');
  });

  it('caps the Warning headers of a body with thousands of unknown fields, as upstream, so clients can read the answer', async () => {
    const bogus = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, 'x']));
    const r = await h.request(cms, json('POST', JSON.stringify({ metadata: { name: 'many-unknown' }, ...bogus })));
    expect(r.status, r.text).toBe(201);
    const warnings = String(r.headers.warning).split(', 299 - ');
    expect(warnings[0]).toBe('299 - "unknown field \\"f0\\""');
    expect(warnings.length).toBeGreaterThan(100);
    expect(warnings.length).toBeLessThan(5000);
    expect(r.json?.f0).toBeUndefined();
  });

  it('Ignore stays silent; patches are judged on the patch body', async () => {
    const r = await h.request(`${cms}?fieldValidation=Ignore`, json('POST', '{"metadata":{"name":"cm","name":"cm"},"data":{"a":"1"},"bogus":1}'));
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBeUndefined();
    const p = await h.request(`${cms}/cm?fieldValidation=Strict`, json('PATCH', '{"data":{"a":"2","a":"3"}}', 'application/merge-patch+json'));
    expect(p.status).toBe(400);
    expect(p.json?.message).toBe('strict decoding error: duplicate field "data.a"');
    // A patch's repeated keys come before the patched object's unknown fields, as upstream's patcher lists them.
    const both = await h.request(`${cms}/cm?fieldValidation=Strict`, json('PATCH', '{"bogus":1,"data":{"a":"2","a":"3"}}', 'application/merge-patch+json'));
    expect(both.json?.message).toBe('strict decoding error: duplicate field "data.a", unknown field "bogus"');
  });

  it('apply patches: repeated keys as go-yaml words them, unknown fields always refused', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: "1"\n  a: "2"\n';
    const strict = await h.request(`${cms}/applied?fieldManager=m&fieldValidation=Strict`, json('PATCH', yaml, 'application/apply-patch+yaml'));
    expect(strict.status).toBe(400);
    expect(strict.json?.message).toBe('error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "a" already set in map');
    const warn = await h.request(`${cms}/applied?fieldManager=m`, json('PATCH', yaml, 'application/apply-patch+yaml'));
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "line 7: key \\"a\\" already set in map"');
    expect(warn.json?.data).toEqual({ a: '2' });
    const unknown = await h.request(`${cms}/applied?fieldManager=m&fieldValidation=Ignore`, json('PATCH', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"bogus":1}', 'application/apply-patch+yaml'));
    expect(unknown.status).toBe(400);
    expect(unknown.json?.message).toBe('failed to create typed patch object (default/applied; /v1, Kind=ConfigMap): .bogus: field not declared in schema');
  });
});
