import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiserverUser, createTokenAuthenticator, handlerLookup, handlerRbacSource, RbacEvaluator, ServiceAccountTokens, withAuthApis } from '../../../../pkg/api/auth/index.ts';
import { keyId } from '../../../../pkg/api/auth/serviceaccount/jwt.ts';
import { createApiHandler } from '../../../../pkg/api/registry/index.ts';
import { findResource, resources } from '../../../../pkg/api/resources/index.ts';
import type { StatusError } from '../../../../pkg/api/status.ts';
import { openStore } from '../../../../pkg/store/index.ts';

const issuer = 'https://kubernetes.default.svc.cluster.local';
const admin = { name: 'admin', groups: ['system:masters'] };

async function setup() {
  let now = new Date('2026-01-01T00:00:00Z');
  const store = await openStore('memory:', { compactIntervalMs: 0 });
  const stored = createApiHandler({ store, resources });
  const lookup = handlerLookup(stored, resources);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const tokens = new ServiceAccountTokens({ privateKey, kid: keyId(privateKey) }, issuer, [issuer], lookup, () => now);
  const api = withAuthApis(stored, tokens, lookup, { evaluator: new RbacEvaluator(handlerRbacSource(stored, resources, apiserverUser)), checkToken: createTokenAuthenticator({ serviceAccounts: tokens }) });
  const def = (p: string) => findResource('', 'v1', p)!;
  const create = async (plural: string, body: object, ns = 'default') => (await api.create({ verb: 'create', def: def(plural), namespace: ns, body: body as never, options: {} }, admin)).object;
  const request = async (sa: string, spec: object, ns = 'default') =>
    (await api.create({ verb: 'create', def: def('serviceaccounts'), namespace: ns, name: sa, subresource: 'token', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec } as never, options: {} }, admin)).object as any;
  await create('namespaces', { metadata: { name: 'default' } }, undefined as never);
  return { api, tokens, create, request, advance: (s: number) => (now = new Date(now.getTime() + s * 1000)), def, admin };
}

const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: StatusError) => e);

describe('serviceaccounts/token', () => {
  it('issues a token with upstream claims that authenticates as the service account', async () => {
    const t = await setup();
    const sa = await t.create('serviceaccounts', { metadata: { name: 'robot' } });
    const out = await t.request('robot', {});
    expect(out).toMatchObject({ kind: 'TokenRequest', spec: { audiences: [issuer], expirationSeconds: 3600 }, status: { expirationTimestamp: '2026-01-01T01:00:00Z' } });
    const [, body] = out.status.token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    expect(claims).toMatchObject({ iss: issuer, sub: 'system:serviceaccount:default:robot', aud: [issuer], iat: 1767225600, nbf: 1767225600, exp: 1767229200,
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid } } });
    const verdict = await t.tokens.authenticate(out.status.token);
    expect(verdict).toMatchObject({ user: { name: 'system:serviceaccount:default:robot', uid: sa.metadata.uid, groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] } });
  });

  it('refuses expired tokens, other audiences, tampered tokens and deleted or recreated accounts', async () => {
    const t = await setup();
    await t.create('serviceaccounts', { metadata: { name: 'robot' } });
    const short = (await t.request('robot', { expirationSeconds: 600 })).status.token;
    const other = (await t.request('robot', { audiences: ['vault'] })).status.token;
    expect(await t.tokens.authenticate(other)).toEqual({ error: 'token audiences are not accepted by this server' });
    expect(await t.tokens.authenticate(other, ['vault'])).toMatchObject({ user: { name: 'system:serviceaccount:default:robot' }, audiences: ['vault'] });
    const [h, b, s] = short.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(b, 'base64url').toString()), sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url');
    expect(await t.tokens.authenticate(`${h}.${forged}.${s}`)).toBeUndefined();
    t.advance(661);
    expect(await t.tokens.authenticate(short)).toEqual({ error: 'token has expired' });

    const long = (await t.request('robot', {})).status.token;
    await t.api.delete({ verb: 'delete', def: t.def('serviceaccounts'), namespace: 'default', name: 'robot', options: {} }, t.admin);
    expect(await t.tokens.authenticate(long)).toEqual({ error: 'serviceaccount default/robot has been deleted' });
    await t.create('serviceaccounts', { metadata: { name: 'robot' } });
    expect(await t.tokens.authenticate(long)).toMatchObject({ error: expect.stringContaining('has been deleted and recreated') });
  });

  it('binds a token to a pod, which it names and dies with', async () => {
    const t = await setup();
    await t.create('serviceaccounts', { metadata: { name: 'robot' } });
    const pod = await t.create('pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const out = await t.request('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: pod.metadata.uid } });
    const verdict = await t.tokens.authenticate(out.status.token);
    expect(verdict).toMatchObject({ user: { extra: { 'authentication.kubernetes.io/pod-name': ['p'], 'authentication.kubernetes.io/pod-uid': [pod.metadata.uid] } } });
    await t.api.delete({ verb: 'delete', def: t.def('pods'), namespace: 'default', name: 'p', options: { gracePeriodSeconds: 0 } }, t.admin);
    expect(await t.tokens.authenticate(out.status.token)).toEqual({ error: 'pod default/p has been deleted' });
  });

  it('answers bad requests with upstream errors', async () => {
    const t = await setup();
    await t.create('serviceaccounts', { metadata: { name: 'robot' } });
    expect((await fail(t.request('robot', { expirationSeconds: 599 }))).message).toBe('TokenRequest.authentication.k8s.io "robot" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes');
    expect((await fail(t.request('nobody', {}))).message).toBe('serviceaccounts "nobody" not found');
    expect((await fail(t.request('robot', { boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'x' } }))).message).toBe('cannot bind token to object of type apps/v1, Kind=Deployment');
    expect((await fail(t.request('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } }))).message).toBe('pods "gone" not found');
    const pod = await t.create('pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const e = await fail(t.request('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'other' } }));
    expect(e.code).toBe(409);
    expect(pod.metadata.uid).not.toBe('other');
  });
});
