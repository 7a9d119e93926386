import { describe, expect, it } from 'vitest';
import { RbacEvaluator, ruleAllows, type Attributes, type Binding, type PolicyRule } from '../../../../pkg/api/auth/index.ts';

const res = (verb: string, resource: string, extra: Partial<Extract<Attributes, { kind: 'resource' }>> = {}): Attributes =>
  ({ kind: 'resource', verb, namespace: 'dev', group: '', resource, subresource: '', name: '', ...extra });

describe('ruleAllows', () => {
  it('matches verbs, groups, resources, subresources and names as upstream', () => {
    const pods: PolicyRule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] };
    expect(ruleAllows(pods, res('get', 'pods'))).toBe(true);
    expect(ruleAllows(pods, res('delete', 'pods'))).toBe(false);
    expect(ruleAllows(pods, res('get', 'pods', { group: 'apps' }))).toBe(false);
    expect(ruleAllows(pods, res('get', 'pods', { subresource: 'log' }))).toBe(true);
    expect(ruleAllows(pods, res('get', 'pods', { subresource: 'exec' }))).toBe(false);
    expect(ruleAllows({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, res('delete', 'deployments', { group: 'apps', subresource: 'scale' }))).toBe(true);
    expect(ruleAllows({ verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] }, res('get', 'deployments', { subresource: 'scale' }))).toBe(true);
    expect(ruleAllows({ verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] }, res('get', 'deployments'))).toBe(false);
    const named: PolicyRule = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] };
    expect(ruleAllows(named, res('get', 'configmaps', { name: 'app' }))).toBe(true);
    expect(ruleAllows(named, res('get', 'configmaps', { name: 'other' }))).toBe(false);
    expect(ruleAllows(named, res('get', 'configmaps'))).toBe(false);
  });

  it('matches non-resource URLs exactly or by a trailing *', () => {
    const rule: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    expect(ruleAllows(rule, { kind: 'nonResource', verb: 'get', path: '/healthz' })).toBe(true);
    expect(ruleAllows(rule, { kind: 'nonResource', verb: 'get', path: '/healthz/ping' })).toBe(false);
    expect(ruleAllows(rule, { kind: 'nonResource', verb: 'get', path: '/apis/apps' })).toBe(true);
    expect(ruleAllows(rule, { kind: 'nonResource', verb: 'post', path: '/apis/apps' })).toBe(false);
    expect(ruleAllows(rule, res('get', 'healthz'))).toBe(false);
  });
});

function evaluator(bindings: Binding[], clusterRoles: Record<string, PolicyRule[]>, roles: Record<string, PolicyRule[]> = {}) {
  return new RbacEvaluator({
    clusterRoleBindings: async () => bindings.filter((b) => b.kind === 'ClusterRoleBinding'),
    roleBindings: async (ns) => bindings.filter((b) => b.kind === 'RoleBinding' && b.namespace === ns),
    clusterRole: async (n) => clusterRoles[n],
    role: async (ns, n) => roles[`${ns}/${n}`],
  });
}

describe('RbacEvaluator', () => {
  const alice = { name: 'alice', groups: ['devs', 'system:authenticated'] };
  const robot = { name: 'system:serviceaccount:dev:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'] };
  const view = [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] }];
  const rb = (name: string, ns: string, subjects: Binding['subjects'], roleRef: Binding['roleRef']): Binding => ({ kind: 'RoleBinding', name, namespace: ns, subjects, roleRef });

  it('allows through role bindings in the namespace only, naming the binding', async () => {
    const e = evaluator([rb('devs-view', 'dev', [{ kind: 'Group', name: 'devs' }], { kind: 'ClusterRole', name: 'view' })], { view });
    expect(await e.authorize(alice, res('list', 'pods'))).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "devs-view/dev" of ClusterRole "view" to Group "devs"' });
    expect(await e.authorize(alice, res('list', 'pods', { namespace: 'prod' }))).toEqual({ allowed: false, reason: '' });
    expect(await e.authorize(alice, res('delete', 'pods'))).toEqual({ allowed: false, reason: '' });
  });

  it('matches service accounts by namespace and name, and users by name', async () => {
    const e = evaluator([
      { kind: 'ClusterRoleBinding', name: 'robots', namespace: '', subjects: [{ kind: 'ServiceAccount', namespace: 'dev', name: 'robot' }], roleRef: { kind: 'ClusterRole', name: 'view' } },
      rb('alice', 'dev', [{ kind: 'User', name: 'alice' }], { kind: 'Role', name: 'pod-reader' }),
    ], { view }, { 'dev/pod-reader': view });
    expect(await e.authorize(robot, res('get', 'pods', { namespace: 'any' }))).toMatchObject({ allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "robots" of ClusterRole "view" to ServiceAccount "dev/robot"' });
    expect(await e.authorize({ ...robot, name: 'system:serviceaccount:other:robot' }, res('get', 'pods'))).toMatchObject({ allowed: false });
    expect(await e.authorize(alice, res('get', 'pods'))).toMatchObject({ allowed: true, reason: 'RBAC: allowed by RoleBinding "alice/dev" of Role "pod-reader" to User "alice"' });
    expect(await e.authorize({ name: 'bob', groups: [] }, res('get', 'pods'))).toMatchObject({ allowed: false });
  });

  it('reports bindings to missing roles and lets system:masters do anything', async () => {
    const e = evaluator([rb('broken', 'dev', [{ kind: 'User', name: 'alice' }], { kind: 'ClusterRole', name: 'gone' })], {});
    expect(await e.authorize(alice, res('get', 'pods'))).toEqual({ allowed: false, reason: '', evaluationError: '[clusterrole.rbac.authorization.k8s.io "gone" not found]' });
    expect(await e.authorize({ name: 'admin', groups: ['system:masters'] }, res('delete', 'nodes', { namespace: '' }))).toMatchObject({ allowed: true });
    expect(await e.rulesFor(alice, 'dev')).toEqual({ rules: [], errors: ['clusterrole.rbac.authorization.k8s.io "gone" not found'] });
  });
});
