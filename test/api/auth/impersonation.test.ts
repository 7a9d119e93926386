import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { impersonate, type Attributes } from '../../../pkg/api/auth/index.ts';

const req = (headers: Record<string, string[]>) => ({ headersDistinct: headers }) as unknown as IncomingMessage;
const alice = { name: 'alice', groups: ['system:authenticated'] };

describe('impersonate', () => {
  it('acts as the requested identity once each part is authorized', async () => {
    const asked: Attributes[] = [];
    const allow = async (_u: unknown, a: Attributes) => (asked.push(a), { allowed: true, reason: '' });
    const u = await impersonate(req({ 'impersonate-user': ['system:serviceaccount:ns:robot'], 'impersonate-group': ['a', 'b'], 'impersonate-uid': ['42'], 'impersonate-extra-scopes': ['x'] }), alice, allow);
    expect(u).toEqual({ name: 'system:serviceaccount:ns:robot', groups: ['a', 'b', 'system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'], uid: '42', extra: { scopes: ['x'] } });
    expect(asked.map((a) => a.kind === 'resource' && `${a.group}/${a.resource}/${a.subresource}:${a.namespace}/${a.name}`)).toEqual([
      '/serviceaccounts/:ns/robot', '/groups/:/a', '/groups/:/b', 'authentication.k8s.io/uids/:/42', 'authentication.k8s.io/userextras/scopes:/x',
    ]);
    expect(await impersonate(req({}), alice, allow)).toBe(alice);
  });

  it('refuses what is not allowed and groups without a user', async () => {
    const onlyUsers = async (_u: unknown, a: Attributes) => ({ allowed: a.kind === 'resource' && a.resource === 'users', reason: '' });
    await expect(impersonate(req({ 'impersonate-user': ['bob'], 'impersonate-group': ['system:masters'] }), alice, onlyUsers)).rejects.toMatchObject({
      code: 403, message: 'groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope',
    });
    await expect(impersonate(req({ 'impersonate-group': ['x'] }), alice, onlyUsers)).rejects.toMatchObject({ code: 400 });
  });
});
