import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapSecret, caHash, parseJoinToken } from '../../../pkg/api/auth/index.ts';
import { startApiServer, type ServerHarness } from './harness.ts';

let h: ServerHarness;
let token: ReturnType<typeof parseJoinToken>;
let bearer: string;

beforeAll(async () => {
  h = await startApiServer();
  token = parseJoinToken(readFileSync(h.server.nodeTokenPath!, 'utf8'));
  bearer = `${token.id}.${token.secret}`;
});
afterAll(() => h?.close());

const pw = 'p'.repeat(32);
const joinBody = (nodeName: string, nodePassword = pw) => JSON.stringify({ nodeName, nodePassword });
const joinAs = (body: string, auth?: string, method = 'POST') =>
  h.request('/v1-skiff/join', { method, body, headers: { 'Content-Type': 'application/json', ...(auth !== undefined && { Authorization: auth }) } });

/** A request with no client certificate, as a machine that has not joined makes it. */
function bare(path: string, opts: { cert?: string; key?: string; method?: string; body?: string } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, h.server.url), { method: opts.method ?? 'GET', rejectUnauthorized: false, cert: opts.cert, key: opts.key, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('node-token', () => {
  it('is written 0600 on first start, with the hash of the CA that /cacerts serves', async () => {
    expect(statSync(h.server.nodeTokenPath!).mode & 0o777).toBe(0o600);
    const ca = await bare('/cacerts');
    expect(ca.status).toBe(200);
    expect(ca.text).toBe(h.server.caCert);
    expect(caHash(ca.text)).toBe(token.caHash);
  });

  it('is a bootstrap-token Secret in kube-system that holds no secret in clear', async () => {
    const r = await h.request(`/api/v1/namespaces/kube-system/secrets/bootstrap-token-${token.id}`);
    expect(r.status).toBe(200);
    expect(r.json!.type).toBe('bootstrap.kubernetes.io/token');
    expect(r.json!.metadata.labels).toEqual({ 'skiff.io/node-token': 'true' });
    const values = Object.values(r.json!.data as Record<string, string>).map((v) => Buffer.from(v, 'base64').toString());
    expect(values.join('\n')).not.toContain(token.secret);
  });
});

describe('POST /v1-skiff/join', () => {
  it('issues a client certificate for system:node:<name> in system:nodes, signed by the cluster CA', async () => {
    const r = await joinAs(JSON.stringify({ nodeName: 'worker-1', nodePassword: pw }), `Bearer ${bearer}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ apiVersion: 'skiff.io/v1', kind: 'NodeCredentials', nodeName: 'worker-1', caCert: h.server.caCert });
    const cert = new X509Certificate(r.json!.clientCert);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=system:node:worker-1', 'O=system:nodes']);
    expect(cert.verify(new X509Certificate(h.server.caCert!).publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(r.json!.clientKey))).toBe(true);

    // The API authenticates it as the node.
    const review = await bare('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      method: 'POST', cert: r.json!.clientCert, key: r.json!.clientKey, body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
    });
    expect(review.status).toBe(201);
    expect(JSON.parse(review.text).status.userInfo).toEqual({ username: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] });
  });

  it('answers 401 for an empty, malformed, unknown or wrong token, with one message', async () => {
    const wrongSecret = `${token.id}.${token.secret === 'zzzzzzzzzzzzzzzz' ? 'yyyyyyyyyyyyyyyy' : 'zzzzzzzzzzzzzzzz'}`;
    // (These requests carry the admin's certificate; without any Authorization header it would be a renewal, below.)
    for (const auth of ['', 'Bearer', `Basic ${bearer}`, 'Bearer abc', 'Bearer abcdef.0123456789abcdef', `Bearer ${wrongSecret}`, `Bearer ${bearer} extra`]) {
      const r = await joinAs(JSON.stringify({ nodeName: 'n', nodePassword: pw }), auth);
      expect({ auth, status: r.status }).toEqual({ auth, status: 401 });
      expect(r.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized: the join token is unknown, expired or deleted', reason: 'Unauthorized', code: 401 });
    }
  });

  it('refuses an expired token and a deleted one', async () => {
    const expired = { id: 'exp001', secret: '0123456789abcdef' };
    const body = bootstrapSecret({ ...expired, expiration: new Date(Date.now() - 1000) });
    expect((await h.request('/api/v1/namespaces/kube-system/secrets', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })).status).toBe(201);
    expect((await joinAs(joinBody('n'), 'Bearer exp001.0123456789abcdef')).status).toBe(401);

    const live = { id: 'del001', secret: 'abcdef0123456789' };
    const liveBody = bootstrapSecret({ ...live, expiration: new Date(Date.now() + 3_600_000) });
    expect((await h.request('/api/v1/namespaces/kube-system/secrets', { method: 'POST', body: JSON.stringify(liveBody), headers: { 'Content-Type': 'application/json' } })).status).toBe(201);
    expect((await joinAs(joinBody('n'), 'Bearer del001.abcdef0123456789')).status).toBe(200);
    expect((await h.request('/api/v1/namespaces/kube-system/secrets/bootstrap-token-del001', { method: 'DELETE' })).status).toBe(200);
    expect((await joinAs(joinBody('n'), 'Bearer del001.abcdef0123456789')).status).toBe(401);
  });

  it('answers 400 for a body that is not a node name, 422 for a bad name, 405 for other methods', async () => {
    const auth = `Bearer ${bearer}`;
    for (const raw of ['', '{', '[]', 'null', '{}', '{"nodeName":""}', '{"nodeName":7}', '"worker"', '{"nodeName":"w"}', '{"nodeName":"w","nodePassword":"short"}', '{"nodeName":"w","nodePassword":7}']) {
      const r = await joinAs(raw, auth);
      expect({ raw, status: r.status, reason: r.json?.reason }).toEqual({ raw, status: 400, reason: 'BadRequest' });
    }
    for (const name of ['Worker', 'a_b', '-a', 'a'.repeat(254), 'a'.repeat(240)]) {
      const r = await joinAs(JSON.stringify({ nodeName: name, nodePassword: pw }), auth);
      expect({ name, status: r.status, reason: r.json?.reason }).toEqual({ name, status: 422, reason: 'Invalid' });
      expect(r.json!.message).toMatch(/^Node ".*" is invalid: \[?nodeName: /);
    }
    expect((await joinAs('{}', auth, 'GET')).json).toMatchObject({ code: 405, reason: 'MethodNotAllowed' });
    expect((await bare('/cacerts', { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('leaves other paths to the authenticated API', async () => {
    expect((await bare('/api/v1/namespaces')).status).toBe(401);
    expect((await bare('/cacertsx')).status).toBe(401);
  });
});

describe('POST /v1-skiff/join with a node certificate', () => {
  it("renews the node's own credentials without a token, and refuses another node's or the admin's", async () => {
    const first = (await joinAs(JSON.stringify({ nodeName: 'renewer', nodePassword: pw }), `Bearer ${bearer}`)).json!;
    const renew = (name: string, cert: string, key: string) => bare('/v1-skiff/join', { method: 'POST', cert, key, body: JSON.stringify({ nodeName: name }) });
    const again = await renew('renewer', first.clientCert, first.clientKey);
    expect(again.status).toBe(200);
    const fresh = JSON.parse(again.text);
    expect(new X509Certificate(fresh.clientCert).subject.split('\n').sort()).toEqual(['CN=system:node:renewer', 'O=system:nodes']);
    expect(new X509Certificate(fresh.clientCert).serialNumber).not.toBe(new X509Certificate(first.clientCert).serialNumber);

    const other = await renew('someone-else', first.clientCert, first.clientKey);
    expect(other.status).toBe(403);
    expect(JSON.parse(other.text).message).toBe('User "system:node:renewer" cannot renew the credentials of node "someone-else": a node renews only its own');
    const admin = readFileSync(h.server.kubeconfigPath!, 'utf8');
    const pem = (field: string) => Buffer.from(new RegExp(`${field}: (\\S+)`).exec(admin)![1]!, 'base64').toString();
    expect((await renew('renewer', pem('client-certificate-data'), pem('client-key-data'))).status).toBe(403);
    // No certificate and no token.
    expect((await bare('/v1-skiff/join', { method: 'POST', body: '{"nodeName":"renewer"}' })).status).toBe(401);
  });
});

describe('node passwords', () => {
  const post = (path: string, obj: unknown) => h.request(path, { method: 'POST', body: JSON.stringify(obj), headers: { 'Content-Type': 'application/json' } });

  it('let the same machine rejoin, and refuse another machine taking the name of a live node', async () => {
    const auth = `Bearer ${bearer}`;
    const mine = 'm'.repeat(40);
    expect((await joinAs(joinBody('pi', mine), auth)).status).toBe(200);
    const stored = await h.request('/api/v1/namespaces/kube-system/secrets/pi.node-password.skiff');
    expect(stored.status).toBe(200);
    expect(JSON.stringify(stored.json)).not.toContain(Buffer.from(mine).toString('base64'));
    // No Node yet (no agent registered it): another machine may still take the name.
    expect((await joinAs(joinBody('pi', 'o'.repeat(40)), auth)).status).toBe(200);
    expect((await joinAs(joinBody('pi', mine), auth)).status).toBe(200);
    expect((await post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'pi' } })).status).toBe(201);
    expect((await joinAs(joinBody('pi', mine), auth)).status).toBe(200);
    const other = await joinAs(joinBody('pi', 'o'.repeat(40)), auth);
    expect(other.status).toBe(403);
    expect(other.json!.message).toBe('node "pi" already exists and was joined by another machine (its node password differs): pick another --node-name, or delete the node (kubectl delete node pi) to let this machine take the name');
    expect((await h.request('/api/v1/nodes/pi', { method: 'DELETE' })).status).toBe(200);
    expect((await joinAs(joinBody('pi', 'o'.repeat(40)), auth)).status).toBe(200);
  });

  it('refuse joining under the name of a node that did not join with a token', async () => {
    expect((await post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'server-node' } })).status).toBe(201);
    const r = await joinAs(joinBody('server-node'), `Bearer ${bearer}`);
    expect(r.status).toBe(403);
    expect(r.json!.message).toMatch(/^node "server-node" already exists and was not joined with a join token: /);
  });
});
