import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJoinToken } from '../../../pkg/api/auth/index.ts';
import { startApiServer, type ServerHarness } from '../server/harness.ts';

let h: ServerHarness;
let node: { cert: string; key: string };

beforeAll(async () => {
  h = await startApiServer();
  const t = parseJoinToken(readFileSync(h.server.nodeTokenPath!, 'utf8'));
  const r = await h.request('/v1-skiff/join', { method: 'POST', body: JSON.stringify({ nodeName: 'node-a', nodePassword: 'p'.repeat(32) }), headers: { Authorization: `Bearer ${t.id}.${t.secret}` } });
  node = { cert: r.json!.clientCert, key: r.json!.clientKey };
  const admin = async (path: string, body: unknown) => expect((await h.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })).status).toBe(201);
  await admin('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-b' } });
  for (const [pod, on] of [['on-a', 'node-a'], ['on-b', 'node-b']]) {
    await admin('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod }, spec: { nodeName: on, containers: [{ name: 'c', image: 'busybox' }] } });
  }
  await admin('/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
});
afterAll(() => h?.close());

/** One request as node-a (its join certificate). */
function asNode(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, h.server.url), { method, ca: h.server.caCert, cert: node.cert, key: node.key, agent: false, headers: { 'Content-Type': contentType } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const merge = 'application/merge-patch+json';

describe('withNodeRestriction', () => {
  it('lets a node write its own Node, status and Lease, and no other', async () => {
    expect((await asNode('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' } })).status).toBe(201);
    expect((await asNode('PATCH', '/api/v1/nodes/node-a/status', { status: { phase: 'Running' } }, merge)).status).toBe(200);
    expect((await asNode('PATCH', '/api/v1/nodes/node-a', { metadata: { annotations: { a: 'b' } } }, merge)).status).toBe(200);
    const other = await asNode('PATCH', '/api/v1/nodes/node-b/status', { status: {} }, merge);
    expect(other).toEqual({ status: 403, json: expect.objectContaining({
      reason: 'Forbidden',
      message: 'nodes "node-b" is forbidden: User "system:node:node-a" cannot patch resource "nodes/status" in API group "" at the cluster scope: node "node-a" is not allowed to modify node "node-b"',
    }) });
    const lease = (name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name } });
    expect((await asNode('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease('node-a'))).status).toBe(201);
    const otherLease = await asNode('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease('node-b'));
    expect(otherLease.status).toBe(403);
    expect(otherLease.json.message).toMatch(/: can only access node lease with the same name as the requesting node$/);
    expect((await asNode('DELETE', '/api/v1/nodes', undefined)).status).toBe(403);
  });

  it('lets a node update the status of, evict and delete only the pods bound to it', async () => {
    expect((await asNode('PATCH', '/api/v1/namespaces/default/pods/on-a/status', { status: { phase: 'Running' } }, merge)).status).toBe(200);
    const foreign = await asNode('PATCH', '/api/v1/namespaces/default/pods/on-b/status', { status: { phase: 'Running' } }, merge);
    expect(foreign.status).toBe(403);
    expect(foreign.json.message).toBe('pods "on-b" is forbidden: User "system:node:node-a" cannot patch resource "pods/status" in API group "" in the namespace "default": no relationship found between node \'node-a\' and this object');
    expect((await asNode('PATCH', '/api/v1/namespaces/default/pods/on-a', { metadata: { labels: { x: 'y' } } }, merge)).status).toBe(403);
    expect((await asNode('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mine' }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] } })).status).toBe(403);
    expect((await asNode('DELETE', '/api/v1/namespaces/default/pods/on-b')).status).toBe(403);
    expect((await asNode('DELETE', '/api/v1/namespaces/default/pods/missing')).status).toBe(403);
    expect((await asNode('DELETE', '/api/v1/namespaces/default/pods/on-a?gracePeriodSeconds=0')).status).toBe(200);
  });

  it('issues tokens only for pods bound to the node, and allows events; anything else is refused', async () => {
    await h.request('/api/v1/namespaces/default/pods', { method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'on-a2' }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] } }), headers: { 'Content-Type': 'application/json' } });
    const tokenFor = (pod: string) => asNode('POST', '/api/v1/namespaces/default/serviceaccounts/default/token', {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod } },
    });
    expect((await tokenFor('on-a2')).status).toBe(201);
    expect((await tokenFor('on-b')).status).toBe(403);
    expect((await asNode('POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} })).json.message)
      .toMatch(/: node requested token not bound to a pod$/);
    const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1' }, involvedObject: { kind: 'Node', name: 'node-a' }, reason: 'R', message: 'm', type: 'Normal' };
    expect((await asNode('POST', '/api/v1/namespaces/default/events', event)).status).toBe(201);
    const cm = await asNode('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(cm.status).toBe(403);
    expect(cm.json.message).toBe('configmaps "x" is forbidden: User "system:node:node-a" cannot create resource "configmaps" in API group "" in the namespace "default"');
    const review = await asNode('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } });
    expect(review.status).toBe(201);
    // Reads are not restricted yet.
    expect((await asNode('GET', '/api/v1/namespaces/default/pods')).status).toBe(200);
  });
});
