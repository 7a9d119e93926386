import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { ensurePrivateDir, readIfExists, writeFileAtomic } from '../files.ts';
import { PkiError } from '../pki.ts';
import { keyId } from './jwt.ts';

/** The key that signs service-account tokens (kube-apiserver's --service-account-signing-key-file). */
export interface SigningKey {
  privateKey: KeyObject;
  kid: string;
}

/** In the PKI directory, as k3s keeps `server/tls/service.key`. */
export const signingKeyFile = 'service.key';

/**
 * Loads the signing key from `dir`, creating an EC P-256 key on first start. An existing file
 * that is not a usable EC P-256 key is an error, never replaced: every issued token would stop working.
 */
export async function ensureSigningKey(dir: string): Promise<SigningKey> {
  await ensurePrivateDir(dir);
  const path = join(dir, signingKeyFile);
  let pem = await readIfExists(path);
  if (pem === undefined) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await writeFileAtomic(path, pem, 0o600);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new PkiError(`${path}: not a private key`, { cause: err });
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new PkiError(`${path}: the service-account signing key must be EC P-256`);
  }
  return { privateKey, kid: keyId(privateKey) };
}
