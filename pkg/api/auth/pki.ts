import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { ensurePrivateDir, readIfExists, writeFileAtomic } from './files.ts';
import { issueCa, issueLeaf } from './issue.ts';
import type { CertKeyPair, LeafProfile } from './issue.ts';

/**
 * The cluster's PKI, all PEM: one CA that signs both the API serving certificate and client
 * certificates (the admin's now, nodes' later), so a single `ca` both verifies clients and is what
 * clients trust.
 */
export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
}

export interface PkiOptions {
  /** Extra DNS names for the serving certificate (IP literals given here are treated as IPs). */
  hostnames: string[];
  /** Extra IP addresses for the serving certificate. */
  ips: string[];
  /** Decides validity windows and renewal; tests move it forward. */
  clock?: () => Date;
}

/** File names inside the PKI directory, after k3s's `server/tls` layout. */
export const pkiFiles = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'serving-apiserver.crt',
  serverKey: 'serving-apiserver.key',
  adminCert: 'client-admin.crt',
  adminKey: 'client-admin.key',
} as const;

/** Thrown when the CA on disk cannot be used; never fixed silently, since replacing it breaks every client. */
export class PkiError extends Error {
  readonly code = 'PKI_INVALID';
}

/** Leaf certificates are reissued when they would expire within this window (k3s: 120 days). */
export const renewBeforeMs = 90 * 86_400_000;

const defaultDnsNames = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const defaultIps = ['127.0.0.1', '::1', '10.43.0.1'];
const admin = { commonName: 'system:admin', organizations: ['system:masters'] };

/**
 * Loads the PKI in `dir`, creating what is missing. First call: a new CA, serving and admin
 * certificates. Later calls reuse the files unchanged, except that a leaf certificate is
 * reissued (same CA, new key) when it is unreadable, does not match its key or the CA, expires
 * within {@link renewBeforeMs}, or — for the serving certificate — lacks a requested name or IP.
 * A missing `ca.crt` means a new CA (and so new leaves); a CA certificate without its key, or a
 * mismatched or expired CA, throws {@link PkiError}. Keys are written 0600, `dir` is made 0700.
 * Not safe against two processes creating the same directory at the same moment.
 */
export async function ensurePki(dir: string, opts: PkiOptions): Promise<Pki> {
  const now = opts.clock?.() ?? new Date();
  await ensurePrivateDir(dir);
  const ca = await ensureCa(dir, now);
  const caX509 = new X509Certificate(ca.cert);
  const sans = servingSans(opts);
  const server = await ensureLeaf(dir, 'server', ca, caX509, now, { commonName: 'skiff', usage: 'server', ...sans }, (c) =>
    sans.dnsNames.every((n) => c.checkHost(n, { subject: 'never', wildcards: false }) !== undefined) &&
    sans.ips.every((ip) => c.checkIP(ip) !== undefined),
  );
  const adminPair = await ensureLeaf(dir, 'admin', ca, caX509, now, { ...admin, usage: 'client' }, (c) =>
    c.subject.split('\n').sort().join('\n') === `CN=${admin.commonName}\nO=${admin.organizations[0]}`,
  );
  return { caCert: ca.cert, caKey: ca.key, serverCert: server.cert, serverKey: server.key, adminCert: adminPair.cert, adminKey: adminPair.key };
}

/** The serving certificate's names: the fixed in-cluster set plus the host's, deduplicated. */
export function servingSans(opts: Pick<PkiOptions, 'hostnames' | 'ips'>): { dnsNames: string[]; ips: string[] } {
  const dnsNames = new Set(defaultDnsNames);
  const ips = new Set(defaultIps);
  for (const raw of [...opts.hostnames, ...opts.ips]) {
    const value = raw.trim().replace(/%.*$/, '');
    if (!value) continue;
    if (isIP(value)) ips.add(value);
    else dnsNames.add(value.toLowerCase());
  }
  return { dnsNames: [...dnsNames], ips: [...ips] };
}

async function ensureCa(dir: string, now: Date): Promise<CertKeyPair> {
  const certPem = await readIfExists(join(dir, pkiFiles.caCert));
  if (certPem === undefined) {
    const ca = await issueCa(now);
    // Key first: a crash in between leaves no ca.crt, so the next start simply begins again.
    await writeFileAtomic(join(dir, pkiFiles.caKey), ca.key, 0o600);
    await writeFileAtomic(join(dir, pkiFiles.caCert), ca.cert, 0o644);
    return ca;
  }
  const keyPem = await readIfExists(join(dir, pkiFiles.caKey));
  if (keyPem === undefined) throw new PkiError(`${join(dir, pkiFiles.caKey)} is missing; restore it, or remove ${pkiFiles.caCert} to create a new CA`);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
    if (!cert.ca) throw new Error('not a CA certificate');
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error(`does not match ${pkiFiles.caKey}`);
  } catch (err) {
    throw new PkiError(`${join(dir, pkiFiles.caCert)}: ${(err as Error).message}`, { cause: err });
  }
  if (cert.validToDate.getTime() <= now.getTime()) {
    throw new PkiError(`cluster CA ${join(dir, pkiFiles.caCert)} expired on ${cert.validToDate.toISOString()}; remove ${pkiFiles.caCert} to create a new one`);
  }
  return { cert: certPem, key: keyPem };
}

async function ensureLeaf(
  dir: string,
  which: 'server' | 'admin',
  ca: CertKeyPair,
  caX509: X509Certificate,
  now: Date,
  profile: LeafProfile,
  fits: (cert: X509Certificate) => boolean,
): Promise<CertKeyPair> {
  const certPath = join(dir, pkiFiles[`${which}Cert`]);
  const keyPath = join(dir, pkiFiles[`${which}Key`]);
  const [cert, key] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
  if (cert !== undefined && key !== undefined && isUsable(cert, key, caX509, now, fits)) return { cert, key };
  const fresh = await issueLeaf(ca, profile, now);
  // Key first, then cert: a crash in between leaves a mismatched pair, which the next start reissues.
  await writeFileAtomic(keyPath, fresh.key, 0o600);
  await writeFileAtomic(certPath, fresh.cert, 0o644);
  return fresh;
}

function isUsable(certPem: string, keyPem: string, ca: X509Certificate, now: Date, fits: (cert: X509Certificate) => boolean): boolean {
  try {
    const cert = new X509Certificate(certPem);
    return (
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      cert.checkPrivateKey(createPrivateKey(keyPem)) &&
      cert.validFromDate.getTime() <= now.getTime() &&
      cert.validToDate.getTime() - now.getTime() > renewBeforeMs &&
      fits(cert)
    );
  } catch {
    // Unparseable files are replaced rather than fatal: leaves carry no state worth keeping.
    return false;
  }
}
