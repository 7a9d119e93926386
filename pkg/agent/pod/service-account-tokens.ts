import type { core, KObject } from '../../api/types/index.ts';

type Pod = core.Pod;

/** POST serviceaccounts/{name}/token in `namespace`; resolves to the TokenRequest answered. */
export type RequestToken = (namespace: string, serviceAccount: string, body: KObject) => Promise<KObject>;

interface Cached {
  token: string;
  /** Unix ms: when the token was issued and when it expires. */
  issued: number;
  expires: number;
}

/** The kubelet refreshes a token once 80% of its life has passed, or after 24 hours at most. */
const refreshAt = (t: Cached) => Math.min(t.issued + 0.8 * (t.expires - t.issued), t.issued + 24 * 3_600_000);

/**
 * Projected service-account tokens of the pods on one node (the kubelet's token manager): each
 * token is requested bound to its pod, kept in memory only, and requested again when 80% of its
 * life has passed. `prepare` is the only part that does I/O; `token` reads what it fetched, so
 * volume setup stays synchronous. `wake(uid, ms)` asks for the pod to be synced again when its
 * earliest token is due, which rewrites the file in its volume.
 */
export class ServiceAccountTokens {
  private readonly cache = new Map<string, Map<string, Cached>>(); // pod uid → key → token

  constructor(
    private readonly request: RequestToken,
    private readonly wake: (uid: string, ms: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Fetches every token the pod's projected volumes need that is missing or due. Throws the API's error. */
  async prepare(pod: Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const mine = this.cache.get(uid) ?? new Map<string, Cached>();
    this.cache.set(uid, mine);
    let next = Infinity;
    for (const src of sources(pod)) {
      const key = keyOf(src.audience, src.expirationSeconds ?? 3600);
      let t = mine.get(key);
      if (!t || this.now() >= refreshAt(t)) {
        t = await this.fetch(pod, src.audience, src.expirationSeconds ?? 3600);
        mine.set(key, t);
      }
      next = Math.min(next, refreshAt(t));
    }
    if (next !== Infinity) this.wake(uid, Math.max(1_000, next - this.now()));
  }

  /** The token `prepare` fetched for this source, or undefined. */
  token(pod: Pod, audience: string | undefined, expirationSeconds: number): string | undefined {
    return this.cache.get(pod.metadata?.uid ?? '')?.get(keyOf(audience, expirationSeconds))?.token;
  }

  /** Drops a pod's tokens (it is gone from this node). */
  forget(uid: string): void {
    this.cache.delete(uid);
  }

  private async fetch(pod: Pod, audience: string | undefined, expirationSeconds: number): Promise<Cached> {
    const ns = pod.metadata?.namespace ?? 'default';
    const sa = pod.spec?.serviceAccountName || 'default';
    const issued = this.now();
    const out = await this.request(ns, sa, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {},
      spec: { ...(audience ? { audiences: [audience] } : {}), expirationSeconds, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name, uid: pod.metadata?.uid } },
    });
    const status = out.status as { token?: string; expirationTimestamp?: string } | undefined;
    if (!status?.token) throw new Error('the TokenRequest was answered without a token');
    const expires = Date.parse(status.expirationTimestamp ?? '') || issued + expirationSeconds * 1000;
    return { token: status.token, issued, expires };
  }
}

const keyOf = (audience: string | undefined, seconds: number) => `${audience ?? ''}/${seconds}`;

function sources(pod: Pod): core.ServiceAccountTokenProjection[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.projected?.sources ?? []).flatMap((s) => (s.serviceAccountToken ? [s.serviceAccountToken] : [])));
}
