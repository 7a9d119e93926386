import { badRequest, conflict, invalid, notFound, type FieldError } from '../../status.ts';
import type { KObject } from '../../types/index.ts';
import { newClaims, type KubernetesClaim } from './claims.ts';
import type { BindableKind, ObjectLookup, ServiceAccountTokens } from './tokens.ts';

const GROUP = 'authentication.k8s.io';
const minSeconds = 600;
const maxSeconds = 2 ** 32;

interface TokenRequestSpec {
  audiences?: unknown;
  expirationSeconds?: unknown;
  boundObjectRef?: { kind?: unknown; apiVersion?: unknown; name?: unknown; uid?: unknown } | null;
}

/**
 * POST serviceaccounts/{name}/token (TokenRequest, authentication.k8s.io/v1): a token for the
 * service account, optionally bound to a Pod, Secret or Node of its namespace, which then dies
 * with that object. Audiences default to the API server's own; the lifetime defaults to one hour
 * and may not be under ten minutes. A dry run validates and returns no token, as upstream.
 */
export async function requestToken(tokens: ServiceAccountTokens, lookup: ObjectLookup, namespace: string, name: string, raw: unknown, dryRun: boolean): Promise<KObject> {
  const body = checkBody(raw);
  const spec: TokenRequestSpec = body.spec && typeof body.spec === 'object' ? (body.spec as TokenRequestSpec) : {};
  const expirationSeconds = spec.expirationSeconds ?? 3600;
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : tokens.audiences;
  const errs: FieldError[] = [];
  if (typeof expirationSeconds !== 'number' || !Number.isInteger(expirationSeconds)) {
    throw badRequest(`TokenRequest in version "v1" cannot be handled as a TokenRequest: spec.expirationSeconds: expected an integer`);
  }
  if (expirationSeconds < minSeconds) errs.push(invalidSeconds(expirationSeconds, 'may not specify a duration less than 10 minutes'));
  if (expirationSeconds > maxSeconds) errs.push(invalidSeconds(expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  audiences.forEach((a, i) => {
    if (typeof a !== 'string' || !a) errs.push({ type: 'FieldValueInvalid', field: `spec.audiences[${i}]`, message: `Invalid value: ${JSON.stringify(a)}: must be a non-empty string` });
  });
  if (errs.length) throw invalid(GROUP, 'TokenRequest', name, errs);

  const sa = await lookup('ServiceAccount', namespace, name);
  if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
  const claim: KubernetesClaim = { namespace, serviceaccount: { name, uid: sa.metadata.uid! } };
  const ref = spec.boundObjectRef;
  if (ref) await bind(lookup, claim, ref);

  const now = tokens.clock();
  const out: KObject = {
    kind: 'TokenRequest', apiVersion: `${GROUP}/v1`,
    metadata: { ...body.metadata, name, namespace },
    spec: { audiences, expirationSeconds, boundObjectRef: ref ?? null },
    status: { token: '', expirationTimestamp: rfc3339(new Date(now.getTime() + expirationSeconds * 1000)) },
  };
  if (dryRun) return out;
  (out.status as { token: string }).token = tokens.sign(newClaims(tokens.issuer, audiences as string[], claim, now, expirationSeconds));
  return out;
}

function checkBody(raw: unknown): KObject {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('the request body must be a JSON object');
  const body = structuredClone(raw) as KObject;
  if (body.apiVersion !== undefined && body.apiVersion !== `${GROUP}/v1`) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${GROUP}/v1)`);
  }
  if (body.kind !== undefined && body.kind !== 'TokenRequest') throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (TokenRequest)`);
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  return body;
}

const invalidSeconds = (v: number, why: string): FieldError => ({ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${v}: ${why}` });

/** Adds the bound object (and, for a scheduled pod, its node) to the claim, after upstream's checks. */
async function bind(lookup: ObjectLookup, claim: KubernetesClaim, ref: NonNullable<TokenRequestSpec['boundObjectRef']>): Promise<void> {
  const kind = String(ref.kind ?? '');
  const apiVersion = String(ref.apiVersion ?? '');
  if (!(['Pod', 'Secret', 'Node'].includes(kind) && apiVersion === 'v1')) {
    const [g, v] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    throw badRequest(`cannot bind token to object of type ${g}/${v}, Kind=${kind}`);
  }
  const name = String(ref.name ?? '');
  const obj = await lookup(kind as BindableKind, claim.namespace, name);
  if (!obj) throw notFound({ group: '', resource: `${kind.toLowerCase()}s` }, name);
  const uid = obj.metadata.uid!;
  if (ref.uid && ref.uid !== uid) {
    throw conflict({ group: '', resource: kind }, name, `the UID in the bound object reference (${String(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  if (kind === 'Pod') {
    claim.pod = { name, uid };
    const nodeName = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
    const node = nodeName ? await lookup('Node', '', nodeName) : undefined;
    if (node) claim.node = { name: nodeName!, uid: node.metadata.uid! };
  } else if (kind === 'Secret') {
    claim.secret = { name, uid };
  } else {
    claim.node = { name, uid };
  }
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
