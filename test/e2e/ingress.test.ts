import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, freePort, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';
import { app, httpGet, httpsGet, selfSigned, type Answer } from './ingress-helpers.ts';
import { until as waitUntil } from './streaming-helpers.ts';

// Ingress traffic through the node's ingress proxy on the real Docker engine: busybox httpd
// deployments answering with their pod names behind services, Ingresses applied with kubectl,
// requests from the host to the proxy's (free, high) ports with the Host header and SNI of each
// case. Node name, pod and service ranges are random so other test clusters are never touched.
const node = `e2e-ing-${randomBytes(3).toString('hex')}`;
const b = randomBytes(2);
const cidr = `10.${100 + (b[0]! % 100)}.0.0/16`;
const serviceCidr = `10.${200 + (b[1]! % 50)}.0.0/16`;
const image = 'skiff-test/busybox:latest';
let s: TestServer;
let httpPort: number;
let httpsPort: number;

beforeAll(async () => {
  if (!apiServed) return;
  httpPort = await freePort();
  httpsPort = await freePort();
  s = await startServer(['--node-name', node, '--cluster-cidr', cidr, '--service-cidr', serviceCidr,
    '--ingress-http-port', String(httpPort), '--ingress-https-port', String(httpsPort)], { agent: true });
});
afterAll(async () => {
  await s?.stop();
  await removeNodeLeftovers(node, { killall: true });
});

const until = <T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 90_000) => waitUntil(s, what, get, ok, timeoutMs);
const json = (args: string[]) => JSON.parse(s.kubectl([...args, '-o', 'json']).stdout || '{}');
const apply = (yaml: string) => expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
const podsOf = (name: string) => ((json(['get', 'pods', '-l', `app=${name}`]).items ?? []) as { metadata: { name: string }; status: { containerStatuses?: { ready?: boolean }[] } }[]);
const ready = (name: string, n: number) => until(`${n} ${name} pods ready`, () => podsOf(name), (ps) => ps.length === n && ps.every((p) => p.status.containerStatuses?.[0]?.ready));
const get = (host: string, path = '/') => httpGet(httpPort, host, path);
const owner = (a: Answer) => (a.status === 200 ? a.body.replace(/-[a-z0-9]+-[a-z0-9]+$/, '') : String(a.status));

const routes = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: routes}
spec:
  tls: [{hosts: [a.test], secretName: a-tls}]
  rules:
  - host: a.test
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: blue, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: green, port: {name: http}}}}
      - {path: /static/, pathType: Exact, backend: {service: {name: green, port: {number: 80}}}}
  - host: b.test
    http:
      paths:
      - {path: /, pathType: ImplementationSpecific, backend: {service: {name: green, port: {number: 80}}}}
  - host: "*.wild.test"
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: blue, port: {number: 80}}}}
  - host: empty.test
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: nobody, port: {number: 80}}}}
`;

describe.skipIf(!apiServed)(`ingress proxy on a node${untilServed}`, () => {
  let tls: ReturnType<typeof selfSigned>;

  it('creates the default IngressClass skiff', async () => {
    const cls = await until('IngressClass skiff', () => json(['get', 'ingressclass', 'skiff']), (c) => !!c.spec);
    expect(cls.spec.controller).toBe('skiff.io/ingress');
    expect(cls.metadata.annotations['ingressclass.kubernetes.io/is-default-class']).toBe('true');
  });

  it('routes two hosts and their paths to the ready pods of each service, and publishes the node address', async () => {
    apply(`${app('blue', 2, image)}---\n${app('green', 1, image)}---\napiVersion: v1\nkind: Service\nmetadata: {name: nobody}\nspec: {selector: {app: nobody}, ports: [{port: 80}]}\n`);
    tls = selfSigned('a.test');
    expect(s.kubectl(['create', 'secret', 'tls', 'a-tls', '--cert', tls.cert, '--key', tls.key]).stderr).toBe('');
    apply(routes);
    await ready('blue', 2);
    await ready('green', 1);
    await until('a.test answers from blue', () => get('a.test'), (a) => owner(a) === 'blue');
    const blues = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const a = await get('a.test', '/index.html');
      expect(owner(a)).toBe('blue');
      blues.add(a.body);
    }
    expect([...blues].sort()).toEqual(podsOf('blue').map((p) => p.metadata.name).sort());
    expect(owner(await get('a.test', '/api/'))).toBe('green');
    expect(owner(await get('a.test', '/apiv2/'))).toBe('blue');
    expect(owner(await get('a.test', '/static/'))).toBe('green');
    expect(owner(await get('A.TEST:8080', '/'))).toBe('blue');
    expect(owner(await get('b.test', '/api/'))).toBe('green');
    expect(owner(await get('x.wild.test'))).toBe('blue');
    expect((await get('x.y.wild.test')).status).toBe(404);
    expect(await get('unknown.test')).toEqual({ status: 404, body: '404 page not found' });
    expect(await get('empty.test')).toEqual({ status: 503, body: '503 Service Temporarily Unavailable' });

    const env = (await get('b.test', '/cgi-bin/env')).body;
    expect(env).toBe('for=127.0.0.1 proto=http host=b.test');

    const nodeIP = json(['get', 'node', node]).status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
    const lb = await until('ingress status', () => json(['get', 'ingress', 'routes']).status?.loadBalancer?.ingress, (i) => Array.isArray(i) && i.length > 0);
    expect(lb).toEqual([{ ip: nodeIP }]);
    expect(s.kubectl(['get', 'ingress', 'routes']).stdout).toMatch(new RegExp(`routes\\s+<none>\\s+a.test,b.test,\\*.wild.test \\+ 1 more...\\s+${nodeIP.replace(/\./g, '\\.')}\\s+80, 443`));
  }, 300_000);

  it('serves TLS with the certificate of the host by SNI, and the default one to other hosts', async () => {
    const a = await until('a.test over TLS', () => httpsGet(httpsPort, 'a.test', '/', tls.certPem), (r) => r.status === 200);
    expect(a.cert?.subject?.CN).toBe('a.test');
    expect(owner(a)).toBe('blue');
    expect((await httpsGet(httpsPort, 'a.test', '/cgi-bin/env', tls.certPem)).body).toBe('for=127.0.0.1 proto=https host=a.test');
    const other = await httpsGet(httpsPort, 'b.test', '/');
    expect(other.cert?.subject?.CN).toBe('skiff ingress default certificate');
    expect(owner(other)).toBe('green');
    expect((await httpsGet(httpsPort, 'b.test', '/', tls.certPem)).status).toBe(0);
    tls.cleanup();
  }, 120_000);

  it('splits 20/80 to a canary Ingress of the same host, and lets a header force it', async () => {
    apply(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: main}
spec:
  rules: [{host: canary.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: blue, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: next
  annotations: {nginx.ingress.kubernetes.io/canary: "true", nginx.ingress.kubernetes.io/canary-weight: "20", nginx.ingress.kubernetes.io/canary-by-header: X-Canary}
spec:
  rules: [{host: canary.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: green, port: {number: 80}}}}]}}]
`);
    await until('canary answers', () => get('canary.test'), (a) => owner(a) === 'green' || owner(a) === 'blue');
    await until('canary attached', () => httpGet(httpPort, 'canary.test', '/', { headers: { 'x-canary': 'always' } }), (a) => owner(a) === 'green');
    const agent = new Agent({ keepAlive: true });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 500; i++) {
      const o = owner(await httpGet(httpPort, 'canary.test', '/', { agent }));
      counts[o] = (counts[o] ?? 0) + 1;
    }
    agent.destroy();
    expect(Object.keys(counts).sort()).toEqual(['blue', 'green']);
    // 100 expected; ±36 is four standard deviations of the binomial (n 500, p 0.2).
    expect(counts.green).toBeGreaterThanOrEqual(64);
    expect(counts.green).toBeLessThanOrEqual(136);
    for (let i = 0; i < 10; i++) expect(owner(await httpGet(httpPort, 'canary.test', '/', { headers: { 'x-canary': 'never' } }))).toBe('blue');
  }, 180_000);

  it('sends unmatched requests to a defaultBackend, ignores Ingresses of other classes, and forgets deleted Ingresses', async () => {
    apply(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback}
spec: {ingressClassName: skiff, defaultBackend: {service: {name: green, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: elsewhere}
spec:
  ingressClassName: nginx
  rules: [{host: other.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: blue, port: {number: 80}}}}]}}]
`);
    await until('default backend', () => get('unknown.test'), (a) => owner(a) === 'green');
    expect(owner(await get('other.test'))).toBe('green');
    expect(json(['get', 'ingress', 'elsewhere']).status?.loadBalancer?.ingress).toBeUndefined();
    expect(s.kubectl(['delete', 'ingress', 'fallback', 'routes']).code).toBe(0);
    await until('routes gone', () => get('a.test'), (a) => a.status === 404);
    expect((await get('unknown.test')).status).toBe(404);
    expect((await httpsGet(httpsPort, 'a.test', '/')).cert?.subject?.CN).toBe('skiff ingress default certificate');
  }, 120_000);
});
