import type { UserInfo } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { badRequest, invalid, type FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { RbacEvaluator } from './rbac/evaluator.ts';
import type { Attributes } from './rbac/rules.ts';

export const authnGroup = 'authentication.k8s.io';
export const authzGroup = 'authorization.k8s.io';

/** A token checked for TokenReview: who it is, or why not. */
export type TokenCheck = (token: string, audiences: string[] | undefined) => Promise<{ user: UserInfo; audiences: string[] } | { error: string }>;

export interface ReviewDeps {
  evaluator: RbacEvaluator;
  checkToken: TokenCheck;
}

/** The review kinds: created, answered, never stored. */
export const reviewKinds = new Set(['TokenReview', 'SelfSubjectReview', 'SubjectAccessReview', 'SelfSubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectRulesReview']);

/**
 * Answers a POST of one review kind by `user`: the body comes back with its `status` filled in
 * (upstream's REST storage for these kinds does the same, and answers 201).
 */
export async function answerReview(def: ResourceDef, namespace: string | undefined, raw: unknown, user: UserInfo, deps: ReviewDeps): Promise<KObject> {
  const body = checkBody(def, raw);
  const spec = (body.spec && typeof body.spec === 'object' ? body.spec : {}) as Record<string, any>;
  const name = body.metadata.name ?? '';
  const done = (status: object): KObject => ({ ...body, apiVersion: `${def.group}/v1`, kind: def.kind, spec, status });
  switch (def.kind) {
    case 'SelfSubjectReview':
      return { ...body, apiVersion: `${def.group}/v1`, kind: def.kind, status: { userInfo: userInfo(user) } };
    case 'TokenReview': {
      if (typeof spec.token !== 'string' || !spec.token) throw badRequest('token is required for TokenReview in authentication');
      const wanted = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences.map(String) : undefined;
      const r = await deps.checkToken(spec.token, wanted);
      return done('user' in r ? { authenticated: true, user: userInfo(r.user), audiences: r.audiences } : { user: {}, error: r.error });
    }
    case 'SelfSubjectRulesReview': {
      const { rules, errors } = await deps.evaluator.rulesFor(user, typeof spec.namespace === 'string' ? spec.namespace : '');
      return done({
        resourceRules: rules.filter((r) => !r.nonResourceURLs?.length).map((r) => dropEmpty({ verbs: r.verbs ?? [], apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames })),
        nonResourceRules: rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs })),
        incomplete: errors.length > 0,
        ...(errors.length ? { evaluationError: errors.join(', ') } : {}),
      });
    }
    default: {
      const subject = def.kind === 'SelfSubjectAccessReview' ? user : reviewedUser(def.kind, name, spec);
      if (def.kind === 'LocalSubjectAccessReview') checkLocal(name, namespace, body, spec);
      const decision = await deps.evaluator.authorize(subject, attributes(def.kind, name, spec));
      return done(dropEmpty({ allowed: decision.allowed, reason: decision.reason || undefined, evaluationError: decision.evaluationError }));
    }
  }
}

function checkBody(def: ResourceDef, raw: unknown): KObject {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('the request body must be a JSON object');
  const body = structuredClone(raw) as KObject;
  const av = `${def.group}/${def.version}`;
  if (body.apiVersion !== undefined && body.apiVersion !== av) throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${av})`);
  if (body.kind !== undefined && body.kind !== def.kind) throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${def.kind})`);
  if (!body.metadata || typeof body.metadata !== 'object') body.metadata = {};
  return body;
}

/** UserInfo as authentication.k8s.io/v1 spells it (Go's omitempty: no empty fields). */
function userInfo(u: UserInfo) {
  return dropEmpty({ username: u.name, uid: u.uid || undefined, groups: u.groups.length ? u.groups : undefined, extra: u.extra && Object.keys(u.extra).length ? u.extra : undefined });
}

function reviewedUser(kind: string, name: string, spec: Record<string, any>): UserInfo {
  const groups = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
  if (!spec.user && !groups.length) {
    throw invalid(authzGroup, kind, name, [{ type: 'FieldValueInvalid', field: 'spec.user', message: 'Invalid value: "": at least one of user or group must be specified' }]);
  }
  return { name: String(spec.user ?? ''), groups, ...(spec.uid ? { uid: String(spec.uid) } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
}

function checkLocal(name: string, namespace: string | undefined, body: KObject, spec: Record<string, any>): void {
  if (!namespace) throw badRequest('namespace is required on this type: ');
  body.metadata.namespace ||= namespace;
  if (body.metadata.namespace !== namespace) throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
  const errs: FieldError[] = [];
  if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== namespace) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.resourceAttributes.namespace', message: `Invalid value: ${JSON.stringify(spec.resourceAttributes.namespace ?? '')}: must match metadata.namespace` });
  }
  if (spec.nonResourceAttributes) errs.push({ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', message: 'Invalid value: "": disallowed on this kind of request' });
  if (errs.length) throw invalid(authzGroup, 'LocalSubjectAccessReview', name, errs);
}

/** The request a SubjectAccessReview asks about; exactly one of resource and non-resource attributes. */
function attributes(kind: string, name: string, spec: Record<string, any>): Attributes {
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  if (r && n) throw invalid(authzGroup, kind, name, [{ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', message: 'Invalid value: "": cannot be specified in combination with resourceAttributes' }]);
  if (n && typeof n === 'object') return { kind: 'nonResource', verb: str(n.verb), path: str(n.path) };
  if (!r || typeof r !== 'object') throw invalid(authzGroup, kind, name, [{ type: 'FieldValueRequired', field: 'spec.resourceAttributes', message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
  return { kind: 'resource', verb: str(r.verb), namespace: str(r.namespace), group: str(r.group), version: str(r.version), resource: str(r.resource), subresource: str(r.subresource), name: str(r.name) };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function dropEmpty<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
