import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Compact JWS (RFC 7515) with ES256 only: the one algorithm skiff issues, so a token naming any
 * other (`none`, HS256 with the public key as secret…) is refused before its signature is looked at.
 */

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** The key id upstream derives for a public key: base64url(SHA-256(DER SubjectPublicKeyInfo)). */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return b64url(createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest());
}

export function signJwt(claims: object, key: KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'ES256', kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${head}.${body}.${b64url(sig)}`;
}

/** True for strings shaped like a compact JWS; cheap, decides which authenticator looks at a bearer token. */
export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * The claims of `token` when its signature is ours, else undefined. Says nothing about expiry
 * or audience: the caller checks the claims.
 */
export function verifyJwt(token: string, key: KeyObject): Record<string, unknown> | undefined {
  if (!looksLikeJwt(token)) return undefined;
  const [head, body, sig] = token.split('.');
  const header = parseJson(head);
  if (header?.alg !== 'ES256') return undefined;
  const ok = verify('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
  if (!ok) return undefined;
  return parseJson(body);
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
