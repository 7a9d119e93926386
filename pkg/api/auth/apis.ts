import { decodeBody, defaultSchemaHooks, type GVK, type RegistryHandler } from '../registry/index.ts';
import type { ApiRequest, UserInfo, WriteResult } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { isNotFound } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { answerReview, reviewKinds, type ReviewDeps } from './reviews.ts';
import { requestToken } from './serviceaccount/token-request.ts';
import type { BindableKind, ObjectLookup, ServiceAccountTokens } from './serviceaccount/tokens.ts';

/** The identity the API server uses for its own reads. */
export const apiserverUser: UserInfo = { name: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] };

const plurals: Record<BindableKind, string> = { ServiceAccount: 'serviceaccounts', Pod: 'pods', Secret: 'secrets', Node: 'nodes' };

/** Reads core objects through `handler` (so through the watch cache and storage conversion). */
export function handlerLookup(handler: RegistryHandler, resources: ResourceDef[]): ObjectLookup {
  return async (kind, namespace, name) => {
    const def = resources.find((d) => d.group === '' && d.version === 'v1' && d.plural === plurals[kind]);
    if (!def || !name) return undefined;
    try {
      return await handler.get({ verb: 'get', def, namespace: def.namespaced ? namespace : undefined, name }, apiserverUser);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
}

type Create = Extract<ApiRequest, { verb: 'create' }>;

const tokenRequestKind: GVK = { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };

/** The body as apiserver decodes it into the kind's typed struct (see decodeBody). */
function decode(gvk: GVK, req: Create): { body: KObject; warnings?: string[] } {
  const { body, warnings } = decodeBody(defaultSchemaHooks, gvk, req.body, req.options);
  return warnings.length ? { body, warnings } : { body };
}

/**
 * The API's requests that are answered rather than stored: serviceaccounts/token and the
 * authentication.k8s.io / authorization.k8s.io reviews. Every other request goes to `handler`.
 */
export function withAuthApis(handler: RegistryHandler, tokens: ServiceAccountTokens, lookup: ObjectLookup, reviews: ReviewDeps): RegistryHandler {
  const answer = async (req: Create, user: UserInfo): Promise<WriteResult | undefined> => {
    const { def } = req;
    if ((def.group === 'authentication.k8s.io' || def.group === 'authorization.k8s.io') && reviewKinds.has(def.kind) && !req.subresource) {
      const { body, warnings } = decode(def, req);
      return { object: await answerReview(def, req.namespace, body, user, reviews), created: true, ...(warnings && { warnings }) };
    }
    if (def.group === '' && def.plural === 'serviceaccounts' && req.subresource === 'token' && req.name) {
      const { body, warnings } = decode(tokenRequestKind, req);
      const object: KObject = await requestToken(tokens, lookup, req.namespace ?? 'default', req.name, body, !!req.options.dryRun);
      return { object, created: true, ...(warnings && { warnings }) };
    }
    return undefined;
  };
  return {
    ...handler,
    async create(req, user) {
      return (await answer(req, user)) ?? handler.create(req, user);
    },
  };
}
