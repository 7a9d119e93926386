import { createHash, timingSafeEqual } from 'node:crypto';
import type { KObject } from '../../types/index.ts';

// Join tokens live as upstream's bootstrap-token Secrets (kube-system/bootstrap-token-<id>, type
// bootstrap.kubernetes.io/token), so `kubectl -n kube-system get secrets` shows them and deleting
// the Secret revokes the token. One difference: skiff never stores the secret itself, only
// `token-secret-sha256` (hex SHA-256 of it); the secret has ~83 random bits, so a plain hash is
// as good as a slow one. A Secret made the upstream way (`token-secret` in clear, e.g. by
// kubeadm) is honoured too.

export const bootstrapSecretType = 'bootstrap.kubernetes.io/token';
export const bootstrapNamespace = 'kube-system';
export const bootstrapSecretPrefix = 'bootstrap-token-';
/** The group skiff's join tokens put in auth-extra-groups (k3s: system:bootstrappers:k3s:default-node-token). */
export const nodeTokenGroup = 'system:bootstrappers:skiff:default-node-token';

export const bootstrapSecretName = (id: string) => `${bootstrapSecretPrefix}${id}`;

export interface BootstrapTokenSpec {
  id: string;
  secret: string;
  description?: string;
  /** Absent: the token never expires. */
  expiration?: Date;
  labels?: Record<string, string>;
}

/** What `skiff token list` shows of one Secret; never the secret or its hash. */
export interface BootstrapTokenInfo {
  id: string;
  description: string;
  expiration?: string;
  usages: string[];
  groups: string[];
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The Secret to create for a new token. */
export function bootstrapSecret(spec: BootstrapTokenSpec): KObject {
  const data: Record<string, string> = {
    'token-id': b64(spec.id),
    'token-secret-sha256': b64(sha256(spec.secret).toString('hex')),
    'usage-bootstrap-authentication': b64('true'),
    'auth-extra-groups': b64(nodeTokenGroup),
  };
  if (spec.description) data.description = b64(spec.description);
  if (spec.expiration) data.expiration = b64(spec.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapSecretName(spec.id), namespace: bootstrapNamespace, ...(spec.labels && { labels: spec.labels }) },
    type: bootstrapSecretType,
    data,
  };
}

/**
 * Whether `secret` (the Secret named after `id`, or undefined) admits `id.secret` at `now`. Like
 * kube-apiserver's bootstrap authenticator: the type, name and token-id must agree, the usage
 * `usage-bootstrap-authentication` must be "true", an expiration in the past or one that does
 * not parse refuses, and a Secret being deleted refuses. Never throws.
 */
export function admits(secret: KObject | undefined, token: { id: string; secret: string }, now: Date): boolean {
  if (!secret || secret.type !== bootstrapSecretType) return false;
  if (secret.metadata?.name !== bootstrapSecretName(token.id) || secret.metadata?.deletionTimestamp) return false;
  const data = dataOf(secret);
  if (data['token-id'] !== token.id || data['usage-bootstrap-authentication'] !== 'true') return false;
  const at = expirationOf(secret);
  if (at !== undefined && !(at > now.getTime())) return false;
  const given = sha256(token.secret);
  if (data['token-secret-sha256'] !== undefined) {
    const stored = Buffer.from(data['token-secret-sha256'], 'hex');
    return stored.length === given.length && timingSafeEqual(stored, given);
  }
  if (data['token-secret'] !== undefined) return timingSafeEqual(sha256(data['token-secret']), given);
  return false;
}

/**
 * When a bootstrap-token Secret expires, in ms since the epoch: undefined without an `expiration`,
 * NaN when it does not parse (the join refuses such a token; the token cleaner leaves it).
 */
export function expirationOf(secret: KObject): number | undefined {
  const raw = dataOf(secret).expiration;
  return raw === undefined ? undefined : Date.parse(raw);
}

/** The listing view of a bootstrap-token Secret, or undefined for any other Secret. */
export function describeBootstrapSecret(secret: KObject): BootstrapTokenInfo | undefined {
  if (secret.type !== bootstrapSecretType) return undefined;
  const data = dataOf(secret);
  const id = data['token-id'];
  if (!id) return undefined;
  const usages = Object.keys(data).filter((k) => k.startsWith('usage-bootstrap-') && data[k] === 'true').map((k) => k.slice('usage-bootstrap-'.length)).sort();
  const groups = (data['auth-extra-groups'] ?? '').split(',').map((g) => g.trim()).filter(Boolean);
  return { id, description: data.description ?? '', ...(data.expiration !== undefined && { expiration: data.expiration }), usages, groups };
}

function dataOf(secret: KObject): Record<string, string> {
  const raw = (secret as { data?: unknown }).data;
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}
