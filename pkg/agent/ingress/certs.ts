import { createSecureContext, type SecureContext } from 'node:tls';
import type { core, networking, KObject } from '../../api/types/index.ts';
import type { Logger } from '../../util/index.ts';

type Ingress = networking.Ingress & KObject;
type Secret = core.Secret & KObject;

const byAge = (a: Ingress, b: Ingress) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : (a.metadata.creationTimestamp ?? '') > (b.metadata.creationTimestamp ?? '') ? 1 : 0);

/**
 * The TLS secret (`namespace/name`) of each host named in spec.tls of the served Ingresses;
 * hosts may be wildcards (`*.example.com`). Where two Ingresses name the same host, the older wins.
 * An entry without secretName is left out (upstream then serves the default certificate).
 */
export function tlsSecrets(ingresses: Ingress[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const ing of [...ingresses].sort(byAge)) {
    for (const t of ing.spec?.tls ?? []) {
      if (!t.secretName) continue;
      for (const h of t.hosts ?? []) {
        const host = h.toLowerCase();
        if (!out.has(host)) out.set(host, `${ing.metadata.namespace ?? 'default'}/${t.secretName}`);
      }
    }
  }
  return out;
}

/** The entry for a TLS server name: the exact name, else the wildcard of its parent domain. */
export function lookupHost<T>(hosts: Map<string, T>, servername: string): T | undefined {
  const name = servername.toLowerCase().replace(/\.$/, '');
  const exact = hosts.get(name);
  if (exact !== undefined) return exact;
  const dot = name.indexOf('.');
  return dot > 0 ? hosts.get(`*${name.slice(dot)}`) : undefined;
}

/**
 * Secure contexts for SNI: the certificate of the host's TLS secret, or `fallback` (the
 * self-signed default) when the host has none, its secret is missing, or the secret does not
 * hold a usable PEM pair in tls.crt and tls.key (logged once per secret version).
 */
export class CertStore {
  private hosts = new Map<string, string>();
  private readonly contexts = new Map<string, { version: string; ctx?: SecureContext }>();

  constructor(private readonly secretOf: (key: string) => Secret | undefined, private readonly fallback: SecureContext, private readonly log: Logger) {}

  update(ingresses: Ingress[]): void {
    this.hosts = tlsSecrets(ingresses);
    const used = new Set(this.hosts.values());
    for (const k of this.contexts.keys()) if (!used.has(k)) this.contexts.delete(k);
  }

  contextFor(servername: string | undefined): SecureContext {
    const key = servername ? lookupHost(this.hosts, servername) : undefined;
    if (!key) return this.fallback;
    const secret = this.secretOf(key);
    if (!secret) return this.fallback;
    const version = `${secret.metadata.uid}/${secret.metadata.resourceVersion}`;
    let entry = this.contexts.get(key);
    if (entry?.version !== version) {
      entry = { version, ctx: this.load(key, secret) };
      this.contexts.set(key, entry);
    }
    return entry.ctx ?? this.fallback;
  }

  private load(key: string, secret: Secret): SecureContext | undefined {
    const cert = secret.data?.['tls.crt'];
    const pkey = secret.data?.['tls.key'];
    try {
      if (!cert || !pkey) throw new Error('tls.crt and tls.key are required');
      return createSecureContext({ cert: Buffer.from(cert, 'base64'), key: Buffer.from(pkey, 'base64') });
    } catch (err) {
      this.log.warn('ingress TLS secret is not usable; serving the default certificate', { secret: key, err: (err as Error).message });
      return undefined;
    }
  }
}
