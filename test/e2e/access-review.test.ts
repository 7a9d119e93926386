import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, post, tokenFor, withToken } from './auth-helpers.ts';
import { startServer, type TestServer } from './harness.ts';

let s: TestServer;
let robot: string;
beforeAll(async () => {
  s = await startServer();
  expect(apply(s, `apiVersion: v1
kind: Namespace
metadata: {name: dev}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot, namespace: dev}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules:
- {verbs: [get, list], apiGroups: [""], resources: [pods, pods/log]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: robot-reads, namespace: dev}
subjects: [{kind: ServiceAccount, name: robot, namespace: dev}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
`).code).toBe(0);
  robot = tokenFor(s, 'robot', {}, 'dev');
});
afterAll(() => s?.stop());

const ssar = (attrs: object, token?: string) =>
  JSON.parse(post(s, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: attrs }, token).stdout).status;

describe('access reviews', () => {
  it('SelfSubjectAccessReview answers from RBAC for a service account and allows system:masters everything', () => {
    expect(ssar({ resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } }, robot)).toEqual({
      allowed: true, reason: 'RBAC: allowed by RoleBinding "robot-reads/dev" of Role "pod-reader" to ServiceAccount "dev/robot"',
    });
    expect(ssar({ resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods', subresource: 'log' } }, robot).allowed).toBe(true);
    expect(ssar({ resourceAttributes: { namespace: 'dev', verb: 'delete', resource: 'pods' } }, robot)).toEqual({ allowed: false });
    expect(ssar({ resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } }, robot)).toEqual({ allowed: false });
    expect(ssar({ resourceAttributes: { verb: 'delete', resource: 'nodes' } }).allowed).toBe(true);
  });

  it('SubjectAccessReview and LocalSubjectAccessReview review someone else', () => {
    const sar = post(s, '/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
      spec: { user: 'system:serviceaccount:dev:robot', groups: ['system:serviceaccounts'], resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods' } } });
    expect(JSON.parse(sar.stdout)).toMatchObject({ kind: 'SubjectAccessReview', status: { allowed: true } });
    const local = post(s, '/apis/authorization.k8s.io/v1/namespaces/dev/localsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview',
      metadata: { namespace: 'dev' }, spec: { user: 'alice', resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods' } } });
    expect(JSON.parse(local.stdout).status).toEqual({ allowed: false });
    const nobody = post(s, '/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } });
    expect(nobody.stderr).toContain('SubjectAccessReview "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
  });

  it('SelfSubjectRulesReview lists the rules granted in a namespace', () => {
    const r = post(s, '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'dev' } }, robot);
    expect(JSON.parse(r.stdout).status).toEqual({ resourceRules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] }], nonResourceRules: [], incomplete: false });
  });

  it('TokenReview and SelfSubjectReview say who a token is', () => {
    const review = JSON.parse(post(s, '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: robot } }).stdout);
    expect(review.status).toMatchObject({ authenticated: true, audiences: ['https://kubernetes.default.svc.cluster.local'],
      user: { username: 'system:serviceaccount:dev:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'] } });
    const bad = JSON.parse(post(s, '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'nope' } }).stdout);
    expect(bad.status).toEqual({ user: {}, error: 'invalid bearer token' });
    const self = JSON.parse(post(s, '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, robot).stdout);
    expect(self.status.userInfo).toMatchObject({ username: 'system:serviceaccount:dev:robot', uid: review.status.user.uid });
  });

  it('checks review bodies as typed objects (fieldValidation, JSON types), and explain knows their fields', () => {
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const body = (attrs: object) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods', ...attrs } } });
    const strict = post(s, `${path}?fieldValidation=Strict`, body({ bogus: 'x' }));
    expect(strict.stderr).toContain('SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: strict decoding error: unknown field "spec.resourceAttributes.bogus"');
    const warned = post(s, path, body({ bogus: 'x' }));
    expect(JSON.parse(warned.stdout)).toMatchObject({ spec: { resourceAttributes: { verb: 'get', resource: 'pods' } }, status: { allowed: true } });
    expect(warned.stdout).not.toContain('bogus');
    expect(warned.stderr).toContain('unknown field "spec.resourceAttributes.bogus"');
    expect(post(s, path, body({ verb: 5 })).stderr).toContain('json: cannot unmarshal number into Go struct field ResourceAttributes.spec.resourceAttributes.verb of type string');
    // Default (strict) validation: create-only kinds are checked client-side against /openapi/v2.
    const created = s.kubectl(['create', '-f', '-', '-o', 'jsonpath={.status.allowed}'], {
      input: 'apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec: {resourceAttributes: {verb: get, resource: pods}}\n',
    });
    expect(created).toMatchObject({ code: 0, stdout: 'true' });
    const explain = s.kubectl(['explain', 'selfsubjectaccessreviews.spec.resourceAttributes']);
    expect(explain.stdout).toMatch(/subresource\s+<string>/);
    expect(explain.stdout).toMatch(/fieldSelector\s+<FieldSelectorAttributes>/);
  });

  it('serves the review kinds in discovery, create only', () => {
    const out = s.kubectl(['api-resources', '--api-group', 'authorization.k8s.io', '-o', 'wide']).stdout;
    expect(out).toMatch(/selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview\s+create/);
    expect(s.kubectl(['api-resources', '--api-group', 'authentication.k8s.io']).stdout).toMatch(/tokenreviews\s+authentication\.k8s\.io\/v1\s+false\s+TokenReview/);
  });
});

describe('kubectl auth', () => {
  it('can-i answers yes and no, and whoami names the token', () => {
    const yes = withToken(s, robot, ['auth', 'can-i', 'list', 'pods', '-n', 'dev']);
    expect([yes.code, yes.stdout.trim()]).toEqual([0, 'yes']);
    const no = withToken(s, robot, ['auth', 'can-i', 'delete', 'pods', '-n', 'dev']);
    expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
    expect(s.kubectl(['auth', 'can-i', '*', '*']).stdout.trim()).toBe('yes');
    const who = withToken(s, robot, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(who.stdout).toBe('system:serviceaccount:dev:robot');
    expect(s.kubectl(['auth', 'whoami']).stdout).toMatch(/Username\s+system:admin/);
    const created = s.kubectl(['create', 'token', 'robot', '-n', 'dev']).stdout.trim();
    expect(withToken(s, created, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']).stdout).toBe('system:serviceaccount:dev:robot');
  });

  it('--as impersonates when RBAC allows the caller to', () => {
    const as = ['--as', 'system:serviceaccount:dev:robot'];
    expect(s.kubectl(['auth', 'can-i', 'list', 'pods', '-n', 'dev', ...as]).stdout.trim()).toBe('yes');
    expect(s.kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'dev', ...as]).stdout.trim()).toBe('no');
    const who = JSON.parse(s.kubectl(['auth', 'whoami', '--as', 'bob', '--as-group', 'devs', '-o', 'json']).stdout).status.userInfo;
    expect(who).toEqual({ username: 'bob', groups: ['devs', 'system:authenticated'] });
    const refused = withToken(s, robot, ['get', 'ns', '--as', 'bob']);
    expect(refused.stderr).toContain('users "bob" is forbidden: User "system:serviceaccount:dev:robot" cannot impersonate resource "users" in API group "" at the cluster scope');
  });
});
