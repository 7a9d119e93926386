import type { KObject } from '../../types/index.ts';
import type { UserInfo } from '../../request.ts';
import { checkClaims, userOf, type ObjectRef, type ServiceAccountClaims } from './claims.ts';
import { signJwt, verifyJwt, looksLikeJwt } from './jwt.ts';
import type { SigningKey } from './signing-key.ts';
import { createPublicKey, type KeyObject } from 'node:crypto';

export type BindableKind = 'ServiceAccount' | 'Pod' | 'Secret' | 'Node';

/** Reads one object of the API (undefined when absent); Node ignores `namespace`. */
export type ObjectLookup = (kind: BindableKind, namespace: string, name: string) => Promise<KObject | undefined>;

export type TokenVerdict = { user: UserInfo; audiences: string[] } | { error: string };

/** A bound pod deleted longer ago than this no longer vouches for its tokens (upstream's grace). */
const deletedPodGraceMs = 60_000;

/**
 * Issues and checks service-account tokens for one API server. A token is accepted when it is
 * signed with this server's key, names this issuer and one of `audiences`, is within its validity
 * window, and the service account — and the pod, secret or node it is bound to — still exists
 * with the uid the token names (so deleting and recreating an account revokes its tokens).
 */
export class ServiceAccountTokens {
  private readonly publicKey: KeyObject;

  constructor(
    private readonly key: SigningKey,
    readonly issuer: string,
    readonly audiences: string[],
    private readonly lookup: ObjectLookup,
    readonly clock: () => Date = () => new Date(),
  ) {
    this.publicKey = createPublicKey(key.privateKey);
  }

  sign(claims: ServiceAccountClaims): string {
    return signJwt(claims, this.key.privateKey, this.key.kid);
  }

  /** Undefined when the token is not one of ours at all (another authenticator may know it). */
  async authenticate(token: string, audiences = this.audiences): Promise<TokenVerdict | undefined> {
    if (!looksLikeJwt(token)) return undefined;
    const raw = verifyJwt(token, this.publicKey);
    if (!raw) return undefined;
    const now = this.clock();
    const claims = checkClaims(raw, this.issuer, audiences, now);
    if (typeof claims === 'string') return { error: claims };
    const k = claims['kubernetes.io'];
    const stale = await this.staleReference(k.namespace, 'ServiceAccount', k.serviceaccount)
      ?? (k.pod && await this.staleReference(k.namespace, 'Pod', k.pod, now))
      ?? (k.secret && await this.staleReference(k.namespace, 'Secret', k.secret))
      ?? (k.node && await this.staleReference('', 'Node', k.node));
    if (stale) return { error: stale };
    return { user: userOf(claims), audiences: claims.aud.filter((a) => audiences.includes(a)) };
  }

  private async staleReference(namespace: string, kind: BindableKind, ref: ObjectRef, now?: Date): Promise<string | undefined> {
    const obj = await this.lookup(kind, namespace, ref.name);
    const what = `${kind.toLowerCase()} ${namespace ? `${namespace}/` : ''}${ref.name}`;
    if (!obj) return `${what} has been deleted`;
    if (obj.metadata.uid !== ref.uid) return `${what} has been deleted and recreated (uid ${ref.uid} is gone)`;
    const deleted = obj.metadata.deletionTimestamp;
    if (deleted && kind === 'Pod' && now && Date.parse(deleted) < now.getTime() - deletedPodGraceMs) return `${what} is being deleted`;
    if (deleted && kind !== 'Pod') return `${what} is being deleted`;
    return undefined;
  }
}
