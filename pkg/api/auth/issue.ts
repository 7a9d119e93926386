import { KeyObject, createPrivateKey, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';

/** A certificate and its private key, both PEM (the key in PKCS #8). */
export interface CertKeyPair {
  cert: string;
  key: string;
}

/** What a leaf certificate is for; `server` and `client` set the extendedKeyUsage. */
export interface LeafProfile {
  commonName: string;
  organizations?: string[];
  usage: 'server' | 'client';
  dnsNames?: string[];
  ips?: string[];
}

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const day = 86_400_000;
// Tolerates clocks of other machines that run slightly behind ours.
const backdateMs = 5 * 60_000;
const caLifetimeMs = 3650 * day;
const leafLifetimeMs = 365 * day;

let lib: Promise<typeof X509> | undefined;

// The library is loaded only when something must be issued, so a normal start (everything
// reused) does not pay for parsing it. tsyringe, which @peculiar/x509 uses internally, refuses
// to load without a Reflect metadata polyfill, hence reflect-metadata strictly before it.
function x509(): Promise<typeof X509> {
  lib ??= (async () => {
    await import('reflect-metadata');
    const x = await import('@peculiar/x509');
    x.cryptoProvider.set(webcrypto as unknown as Crypto);
    return x;
  })();
  return lib;
}

/** A new self-signed cluster CA named like k3s's (`skiff-ca@<unix seconds>`), valid 10 years. */
export async function issueCa(now: Date): Promise<CertKeyPair> {
  const x = await x509();
  const keys = (await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [`skiff-ca@${Math.floor(now.getTime() / 1000)}`] }],
    notBefore: new Date(now.getTime() - backdateMs),
    notAfter: new Date(now.getTime() + caLifetimeMs),
    keys,
    signingAlgorithm: ecdsa,
    extensions: [
      new x.BasicConstraintsExtension(true, undefined, true),
      new x.KeyUsagesExtension(
        x.KeyUsageFlags.keyCertSign | x.KeyUsageFlags.cRLSign | x.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: pemKey(keys.privateKey) };
}

/** A new leaf certificate with a fresh P-256 key, signed by `ca`, valid one year (capped at the CA's end). */
export async function issueLeaf(ca: CertKeyPair, profile: LeafProfile, now: Date): Promise<CertKeyPair> {
  const x = await x509();
  const caCert = new x.X509Certificate(ca.cert);
  // node:crypto's CryptoKey and the global one are the same object under two type declarations.
  const caKey = createPrivateKey(ca.key).toCryptoKey(ecdsa, false, ['sign']) as unknown as CryptoKey;
  const keys = (await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
  const subject: X509.JsonName = [];
  if (profile.organizations?.length) subject.push({ O: profile.organizations });
  subject.push({ CN: [profile.commonName] });
  const sans: X509.JsonGeneralNames = [
    ...(profile.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(profile.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: X509.Extension[] = [
    new x.BasicConstraintsExtension(false, undefined, true),
    new x.KeyUsagesExtension(x.KeyUsageFlags.digitalSignature, true),
    new x.ExtendedKeyUsageExtension([profile.usage === 'server' ? x.ExtendedKeyUsage.serverAuth : x.ExtendedKeyUsage.clientAuth]),
    await x.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ];
  if (sans.length) extensions.push(new x.SubjectAlternativeNameExtension(sans));
  const notAfter = Math.min(now.getTime() + leafLifetimeMs, caCert.notAfter.getTime());
  const cert = await x.X509CertificateGenerator.create({
    subject,
    // The CA's own encoded name, byte for byte: Go's chain building matches issuer to subject on raw bytes.
    issuer: caCert.subjectName,
    notBefore: new Date(now.getTime() - backdateMs),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ecdsa,
    extensions,
  });
  return { cert: cert.toString('pem') + '\n', key: pemKey(keys.privateKey) };
}

function pemKey(key: CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }) as string;
}
