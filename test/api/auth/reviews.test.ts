import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiserverUser, createTokenAuthenticator, handlerLookup, handlerRbacSource, RbacEvaluator, ServiceAccountTokens, withAuthApis } from '../../../pkg/api/auth/index.ts';
import { keyId } from '../../../pkg/api/auth/serviceaccount/jwt.ts';
import { createApiHandler } from '../../../pkg/api/registry/index.ts';
import type { WriteOptions } from '../../../pkg/api/request.ts';
import { findResource, resources } from '../../../pkg/api/resources/index.ts';
import type { StatusError } from '../../../pkg/api/status.ts';
import { openStore } from '../../../pkg/store/index.ts';

const issuer = 'https://kubernetes.default.svc.cluster.local';
const admin = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };

async function setup() {
  const store = await openStore('memory:', { compactIntervalMs: 0 });
  const stored = createApiHandler({ store, resources });
  const lookup = handlerLookup(stored, resources);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const tokens = new ServiceAccountTokens({ privateKey, kid: keyId(privateKey) }, issuer, [issuer], lookup);
  const api = withAuthApis(stored, tokens, lookup, { evaluator: new RbacEvaluator(handlerRbacSource(stored, resources, apiserverUser)), checkToken: createTokenAuthenticator({ serviceAccounts: tokens }) });
  await api.create({ verb: 'create', def: findResource('', 'v1', 'namespaces')!, body: { metadata: { name: 'default' } }, options: {} }, admin);
  await api.create({ verb: 'create', def: findResource('', 'v1', 'serviceaccounts')!, namespace: 'default', body: { metadata: { name: 'robot' } }, options: {} }, admin);
  /** POSTs a review of `kind` (its plural is the lower-cased kind plus s). */
  const review = (group: string, kind: string, body: object, options: WriteOptions = {}, namespace?: string) =>
    api.create({ verb: 'create', def: findResource(group, 'v1', `${kind.toLowerCase()}s`)!, namespace, body: { apiVersion: `${group}/v1`, kind, ...body } as never, options }, admin);
  const tokenRequest = (body: object, options: WriteOptions = {}) =>
    api.create({ verb: 'create', def: findResource('', 'v1', 'serviceaccounts')!, namespace: 'default', name: 'robot', subresource: 'token', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', ...body } as never, options }, admin);
  return { review, tokenRequest };
}

const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: StatusError) => e);
const authz = 'authorization.k8s.io';
const authn = 'authentication.k8s.io';
const canGetPods = { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } };

describe('withAuthApis: decoding of review bodies', () => {
  it('refuses unknown fields under fieldValidation=Strict with the strict decoder\'s words', async () => {
    const t = await setup();
    const e = await fail(t.review(authz, 'SelfSubjectAccessReview', { spec: { ...canGetPods, bogus: 1 } }, { fieldValidation: 'Strict' }));
    expect(e.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: strict decoding error: unknown field "spec.bogus"' });
    const nested = await fail(t.review(authz, 'SubjectAccessReview', { spec: { user: 'u', resourceAttributes: { verb: 'get', resource: 'pods', subresouce: 'log' } } }, { fieldValidation: 'Strict' }));
    expect(nested.message).toBe('SubjectAccessReview in version "v1" cannot be handled as a SubjectAccessReview: strict decoding error: unknown field "spec.resourceAttributes.subresouce"');
    // SelfSubjectReview has no spec at all upstream.
    const noSpec = await fail(t.review(authn, 'SelfSubjectReview', { spec: {} }, { fieldValidation: 'Strict' }));
    expect(noSpec.message).toBe('SelfSubjectReview in version "v1" cannot be handled as a SelfSubjectReview: strict decoding error: unknown field "spec"');
  });

  it('answers with warnings and without the unknown fields otherwise, and silently under Ignore', async () => {
    const t = await setup();
    const warned = await t.review(authz, 'SelfSubjectAccessReview', { spec: { ...canGetPods, bogus: 1 } });
    expect(warned.warnings).toEqual(['unknown field "spec.bogus"']);
    expect(warned.object.spec).toEqual(canGetPods);
    expect(warned.object.status).toMatchObject({ allowed: true });
    const ignored = await t.review(authz, 'SelfSubjectAccessReview', { spec: { ...canGetPods, bogus: 1 } }, { fieldValidation: 'Ignore' });
    expect(ignored.warnings).toBeUndefined();
    expect(ignored.object.spec).toEqual(canGetPods);
    const clean = await t.review(authz, 'SelfSubjectAccessReview', { spec: canGetPods }, { fieldValidation: 'Strict' });
    expect(clean).toMatchObject({ created: true, object: { status: { allowed: true } } });
    expect(clean.warnings).toBeUndefined();
  });

  it('refuses values of the wrong JSON type whatever fieldValidation says', async () => {
    const t = await setup();
    const e = await fail(t.review(authz, 'SelfSubjectAccessReview', { spec: { resourceAttributes: { verb: 5, resource: 'pods' } } }, { fieldValidation: 'Ignore' }));
    expect(e.status).toMatchObject({ code: 400, message: 'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: json: cannot unmarshal number into Go struct field ResourceAttributes.spec.resourceAttributes.verb of type string' });
    const groups = await fail(t.review(authz, 'SubjectAccessReview', { spec: { user: 'u', groups: 'dev', ...canGetPods } }));
    expect(groups.message).toBe('SubjectAccessReview in version "v1" cannot be handled as a SubjectAccessReview: json: cannot unmarshal string into Go struct field SubjectAccessReviewSpec.spec.groups of type []string');
    const token = await fail(t.review(authn, 'TokenReview', { spec: { token: ['x'] } }));
    expect(token.message).toBe('TokenReview in version "v1" cannot be handled as a TokenReview: json: cannot unmarshal array into Go struct field TokenReviewSpec.spec.token of type string');
  });

  it('checks the body is an object of the endpoint\'s kind before its fields', async () => {
    const t = await setup();
    const pod = await fail(t.review(authz, 'SelfSubjectAccessReview', { kind: 'Pod', spec: { containers: [] } }, { fieldValidation: 'Strict' }));
    expect(pod.status).toMatchObject({ code: 400, message: 'the kind in the data (Pod) does not match the expected kind (SelfSubjectAccessReview)' });
    const version = await fail(t.tokenRequest({ apiVersion: 'authentication.k8s.io/v1beta1', spec: { bogus: 1 } }, { fieldValidation: 'Strict' }));
    expect(version.message).toBe('the API version in the data (authentication.k8s.io/v1beta1) does not match the expected API version (authentication.k8s.io/v1)');
  });

  it('checks LocalSubjectAccessReview and SelfSubjectRulesReview bodies the same way', async () => {
    const t = await setup();
    const local = await fail(t.review(authz, 'LocalSubjectAccessReview', { metadata: { namespace: 'default' }, spec: { user: 'u', ...canGetPods, uid: 5 } }, {}, 'default'));
    expect(local.message).toBe('LocalSubjectAccessReview in version "v1" cannot be handled as a LocalSubjectAccessReview: json: cannot unmarshal number into Go struct field SubjectAccessReviewSpec.spec.uid of type string');
    const rules = await fail(t.review(authz, 'SelfSubjectRulesReview', { spec: { namespace: 'default', verbs: ['get'] } }, { fieldValidation: 'Strict' }));
    expect(rules.message).toBe('SelfSubjectRulesReview in version "v1" cannot be handled as a SelfSubjectRulesReview: strict decoding error: unknown field "spec.verbs"');
  });
});

describe('withAuthApis: decoding of TokenRequest bodies', () => {
  it('refuses unknown fields under Strict, warns about and drops them otherwise', async () => {
    const t = await setup();
    const e = await fail(t.tokenRequest({ spec: { audiences: [], expirySeconds: 3600 } }, { fieldValidation: 'Strict' }));
    expect(e.status).toMatchObject({ code: 400, message: 'TokenRequest in version "v1" cannot be handled as a TokenRequest: strict decoding error: unknown field "spec.expirySeconds"' });
    const warned = await t.tokenRequest({ spec: { audiences: [], expirySeconds: 3600 } });
    expect(warned.warnings).toEqual(['unknown field "spec.expirySeconds"']);
    expect(warned.object.spec).not.toHaveProperty('expirySeconds');
    expect((warned.object.status as { token: string }).token).toMatch(/^ey/);
  });

  it('refuses a lifetime of the wrong JSON type in encoding/json\'s words', async () => {
    const t = await setup();
    const e = await fail(t.tokenRequest({ spec: { audiences: [], expirationSeconds: '3600' } }));
    expect(e.status).toMatchObject({ code: 400, message: 'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal string into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64' });
  });

  it('validates a dry run and issues no token', async () => {
    const t = await setup();
    const dry = await t.tokenRequest({ spec: { audiences: ['vault'], expirationSeconds: 600 } }, { dryRun: true });
    expect(dry.object).toMatchObject({ kind: 'TokenRequest', spec: { audiences: ['vault'], expirationSeconds: 600 }, status: { token: '' } });
    expect((await fail(t.tokenRequest({ spec: { audiences: [], expirationSeconds: 60 } }, { dryRun: true }))).status.code).toBe(422);
  });
});
