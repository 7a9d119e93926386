import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readIfExists, writeFileAtomic } from '../files.ts';
import type { BootstrapTokenSpec } from './bootstrap-secret.ts';
import { caHash, formatJoinToken, generateBootstrapToken, JoinTokenError, parseJoinToken, type JoinToken } from './token.ts';

/** Label on the Secret of the server's own node-token, so listings can tell it apart. */
export const nodeTokenLabel = 'skiff.io/node-token';

/**
 * The server's default join token, kept in `path` (0600; k3s: `server/node-token`). First call:
 * a new token for `caPem`. Later calls keep its id and secret; the CA hash is rewritten if the CA
 * changed. `register` is then called with the token's spec (no expiration) so that the store
 * holds its Secret: it must create it when missing and leave an existing one alone — the server
 * re-registers its node-token at every start, so the token in the file always works (delete the
 * file and restart to replace it). Returns the token text.
 */
export async function ensureNodeToken(path: string, caPem: string, register: (spec: BootstrapTokenSpec) => Promise<void>): Promise<string> {
  const hash = caHash(caPem);
  const text = await readIfExists(path);
  let token: JoinToken | undefined;
  if (text !== undefined) {
    try {
      token = { ...parseJoinToken(text), caHash: hash };
    } catch (err) {
      if (!(err instanceof JoinTokenError)) throw err;
      // An unreadable file is replaced: the token it held (if any) could not be used anyway.
    }
  }
  token ??= { caHash: hash, ...generateBootstrapToken() };
  await register({ id: token.id, secret: token.secret, description: `the server's node-token (${path})`, labels: { [nodeTokenLabel]: 'true' } });
  const formatted = formatJoinToken(token);
  if (text?.trim() !== formatted) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, `${formatted}\n`, 0o600);
  }
  return formatted;
}
