import { randomUUID } from 'node:crypto';
import type { UserInfo } from '../../request.ts';

/** `name` and `uid` of an object a token names. */
export interface ObjectRef {
  name: string;
  uid: string;
}

/** The private claim upstream puts under "kubernetes.io". */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
}

/** A service-account token's claims, as kube-apiserver issues them. Times are Unix seconds. */
export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

export const serviceAccountPrefix = 'system:serviceaccount:';
export const serviceAccountUser = (namespace: string, name: string) => `${serviceAccountPrefix}${namespace}:${name}`;

export function newClaims(issuer: string, audiences: string[], k: KubernetesClaim, now: Date, expirationSeconds: number): ServiceAccountClaims {
  const iat = Math.floor(now.getTime() / 1000);
  return { iss: issuer, sub: serviceAccountUser(k.namespace, k.serviceaccount.name), aud: audiences, exp: iat + expirationSeconds, iat, nbf: iat, jti: randomUUID(), 'kubernetes.io': k };
}

/** Clock skew tolerated on nbf/iat/exp, as go-jose's default leeway. */
const leewaySeconds = 60;

/**
 * The claims when they are well formed, from `issuer`, for one of `audiences`, and valid at
 * `now`; otherwise the reason they are not (for logs and TokenReview's status.error).
 */
export function checkClaims(raw: Record<string, unknown>, issuer: string, audiences: string[], now: Date): ServiceAccountClaims | string {
  const c = raw as Partial<ServiceAccountClaims> & { aud?: unknown };
  if (c.iss !== issuer) return 'token has an unknown issuer';
  const aud = typeof c.aud === 'string' ? [c.aud] : Array.isArray(c.aud) ? c.aud.filter((a): a is string => typeof a === 'string') : [];
  if (!aud.some((a) => audiences.includes(a))) return 'token audiences are not accepted by this server';
  const t = now.getTime() / 1000;
  if (typeof c.exp !== 'number' || t > c.exp + leewaySeconds) return 'token has expired';
  if (typeof c.nbf === 'number' && t < c.nbf - leewaySeconds) return 'token is not valid yet';
  const k = c['kubernetes.io'];
  if (!k || typeof k.namespace !== 'string' || !isRef(k.serviceaccount)) return 'token lacks the kubernetes.io claims';
  for (const r of [k.pod, k.secret, k.node]) if (r !== undefined && !isRef(r)) return 'token has a malformed bound object claim';
  if (c.sub !== serviceAccountUser(k.namespace, k.serviceaccount.name)) return 'token subject does not match its service account';
  return { ...(c as ServiceAccountClaims), aud };
}

const isRef = (r: unknown): r is ObjectRef => !!r && typeof (r as ObjectRef).name === 'string' && typeof (r as ObjectRef).uid === 'string';

/** The identity a valid token stands for, with upstream's extra keys naming what it is bound to. */
export function userOf(c: ServiceAccountClaims): UserInfo {
  const k = c['kubernetes.io'];
  const extra: Record<string, string[]> = {};
  if (k.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
  }
  if (k.node) {
    extra['authentication.kubernetes.io/node-name'] = [k.node.name];
    extra['authentication.kubernetes.io/node-uid'] = [k.node.uid];
  }
  if (c.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${c.jti}`];
  return {
    name: c.sub,
    uid: k.serviceaccount.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${k.namespace}`, 'system:authenticated'],
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}
