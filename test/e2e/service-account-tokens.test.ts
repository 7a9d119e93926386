import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s?.stop());

/**
 * kubectl's typed clients (`create token`, `auth can-i`, `auth whoami`) send protobuf bodies;
 * until pkg/api/protobuf exists those commands are exercised through `kubectl create --raw` (JSON).
 */
export const protobufServed = existsSync(new URL('../../pkg/api/protobuf/index.ts', import.meta.url));

/** kubectl with only a bearer token (no client certificate from the admin kubeconfig). */
export const withToken = (srv: TestServer, token: string, args: string[]) =>
  srv.kubectl(['--kubeconfig', '/dev/null', '--server', `https://127.0.0.1:${srv.port}`, '--certificate-authority', join(srv.dir, 'data', 'server', 'tls', 'ca.crt'), '--token', token, ...args]);

/** POST a JSON body with `kubectl create --raw`. */
function post(path: string, body: object) {
  const file = join(s.dir, `body-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(body));
  return s.kubectl(['create', '--raw', path, '-f', file]);
}

/** `kubectl create serviceaccount` sends protobuf too; apply sends JSON. */
const createAccount = (name: string) => s.kubectl(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}}\n` });

const tokenRequest = (sa: string, spec: object) => post(`/api/v1/namespaces/default/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });

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

  it('is listed in discovery as TokenRequest', () => {
    const list = JSON.parse(s.kubectl(['get', '--raw', '/api/v1']).stdout) as { resources: { name: string; kind: string; group?: string; verbs: string[] }[] };
    expect(list.resources.find((r) => r.name === 'serviceaccounts/token')).toMatchObject({ kind: 'TokenRequest', group: 'authentication.k8s.io', verbs: ['create'] });
  });
});

describe.skipIf(!protobufServed)('kubectl create token (protobuf)', () => {
  it('prints a token for the account', () => {
    createAccount('robot3');
    const r = s.kubectl(['create', 'token', 'robot3', '--duration', '15m']);
    expect(r.stderr).toBe('');
    expect(withToken(s, r.stdout.trim(), ['get', 'ns', 'default', '-o', 'name']).stdout.trim()).toBe('namespace/default');
  });
});
