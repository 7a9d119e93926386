import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, post, withToken } from './auth-helpers.ts';
import { startServer, type TestServer } from './harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s?.stop());

const createAccount = (name: string) => apply(s, `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}}\n`);
const tokenRequest = (sa: string, spec: object) => post(s, `/api/v1/namespaces/default/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });

describe('serviceaccounts/token', () => {
  it('issues a token that the API accepts as a bearer token until its account is deleted', () => {
    expect(createAccount('robot').code).toBe(0);
    const r = tokenRequest('robot', { expirationSeconds: 900 });
    expect(r.stderr).toBe('');
    const token = JSON.parse(r.stdout).status.token as string;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims.sub).toBe('system:serviceaccount:default:robot');
    expect(claims.aud).toEqual(['https://kubernetes.default.svc.cluster.local']);
    expect(claims.exp - claims.iat).toBe(900);
    expect(withToken(s, token, ['get', 'ns', 'default', '-o', 'name']).stdout.trim()).toBe('namespace/default');
    expect(s.kubectl(['delete', 'serviceaccount', 'robot']).code).toBe(0);
    const denied = withToken(s, token, ['get', 'ns', 'default']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Unauthorized');
    expect(withToken(s, `${token.slice(0, -4)}AAAA`, ['get', 'ns']).stderr).toContain('Unauthorized');
  });

  it('refuses what upstream refuses', () => {
    expect(tokenRequest('nobody', {}).stderr).toContain('serviceaccounts "nobody" not found');
    createAccount('robot2');
    expect(tokenRequest('robot2', { expirationSeconds: 300 }).stderr).toContain('may not specify a duration less than 10 minutes');
    expect(tokenRequest('robot2', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } }).stderr).toContain('pods "gone" not found');
  });

  it('keeps accepting tokens after a restart: the signing key is kept in the data dir', async () => {
    createAccount('keeper');
    const token = JSON.parse(tokenRequest('keeper', {}).stdout).status.token as string;
    await s.stop({ keep: true });
    s = await startServer([], { dir: s.dir });
    expect(withToken(s, token, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']).stdout).toBe('system:serviceaccount:default:keeper');
  });

  it('is listed in discovery as TokenRequest', () => {
    const list = JSON.parse(s.kubectl(['get', '--raw', '/api/v1']).stdout) as { resources: { name: string; kind: string; group?: string; verbs: string[] }[] };
    expect(list.resources.find((r) => r.name === 'serviceaccounts/token')).toMatchObject({ kind: 'TokenRequest', group: 'authentication.k8s.io', verbs: ['create'] });
  });
});

describe('kubectl create token', () => {
  it('prints a token for the account', () => {
    createAccount('robot3');
    const r = s.kubectl(['create', 'token', 'robot3', '--duration', '15m']);
    expect(r.stderr).toBe('');
    expect(withToken(s, r.stdout.trim(), ['get', 'ns', 'default', '-o', 'name']).stdout.trim()).toBe('namespace/default');
  });
});
