import { createHash, randomInt } from 'node:crypto';

// Join tokens (DESIGN.md §7), after k3s's secure form `K10<ca hash>::<credentials>`:
//   SK10<sha256 hex of the CA bundle>::<id>.<secret>
// The CA hash is the SHA-256 of the exact bytes `GET /cacerts` serves: the PEM of the cluster CA
// (`<data-dir>/server/tls/ca.crt`), as k3s hashes its PEM bundle. Hashing the PEM rather than the
// DER lets anyone check a token with `curl -k https://server:6443/cacerts | sha256sum`.
// `<id>.<secret>` is a Kubernetes bootstrap token: [a-z0-9]{6} and [a-z0-9]{16}.

export const joinTokenPrefix = 'SK10';

/** A parsed join token. */
export interface JoinToken {
  /** Lowercase hex SHA-256 of the CA PEM the server serves. */
  caHash: string;
  id: string;
  secret: string;
}

/** A token the user gave that cannot be used; `message` says which part is wrong. */
export class JoinTokenError extends Error {
  readonly code = 'JOIN_TOKEN_INVALID';
}

const bootstrapToken = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** SHA-256 (lowercase hex) of the CA bundle exactly as served at /cacerts. */
export function caHash(caPem: string | Buffer): string {
  return createHash('sha256').update(caPem).digest('hex');
}

export function formatJoinToken(t: JoinToken): string {
  return `${joinTokenPrefix}${t.caHash}::${t.id}.${t.secret}`;
}

/**
 * Parses `SK10<64 hex>::<id>.<secret>` (surrounding whitespace ignored, hex case-insensitive).
 * Throws {@link JoinTokenError} for anything else, without echoing the secret.
 */
export function parseJoinToken(text: string): JoinToken {
  const s = text.trim();
  if (!s.startsWith(joinTokenPrefix)) {
    throw new JoinTokenError(`a join token starts with ${joinTokenPrefix} (it is printed by the server into <data-dir>/server/node-token, or by skiff token create)`);
  }
  const sep = s.indexOf('::');
  if (sep < 0) throw new JoinTokenError('a join token has the form SK10<CA hash>::<id>.<secret>');
  const hash = s.slice(joinTokenPrefix.length, sep).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new JoinTokenError('the CA hash of the join token is not 64 hex digits');
  const creds = parseBootstrapToken(s.slice(sep + 2));
  if (!creds) throw new JoinTokenError('the credentials of the join token are not <6 characters [a-z0-9]>.<16 characters [a-z0-9]>');
  return { caHash: hash, ...creds };
}

/** `<id>.<secret>` as upstream bootstrap tokens, or undefined. */
export function parseBootstrapToken(s: string): { id: string; secret: string } | undefined {
  const m = bootstrapToken.exec(s);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** A fresh random id and secret (uniform over [a-z0-9], about 83 bits of secret). */
export function generateBootstrapToken(): { id: string; secret: string } {
  const pick = (n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
  return { id: pick(6), secret: pick(16) };
}
