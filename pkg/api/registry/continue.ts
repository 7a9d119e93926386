import { badRequest, expired } from '../status.ts';

/**
 * Continue tokens, in the apiserver's format: base64url(JSON `{"v":"meta.k8s.io/v1","rv":R,
 * "start":"<key after the list prefix>\u0000"}`). `rv` pins every page to the first page's
 * revision; `rv` -1 (only in the token a 410 hands out) continues at the current revision.
 */
const VERSION = 'meta.k8s.io/v1';

export interface ContinuePoint {
  /** Revision to read at; undefined: current (inconsistent continuation). */
  revision: number | undefined;
  /** Exclusive start key (full key). */
  after: string;
}

export function encodeContinue(revision: number, lastKey: string, prefix: string): string {
  const start = `${lastKey.slice(prefix.length)}\u0000`;
  return Buffer.from(JSON.stringify({ v: VERSION, rv: revision, start })).toString('base64url');
}

export function decodeContinue(token: string, prefix: string): ContinuePoint {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalidToken('continue key is not valid: illegal base64 data or JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || parsed.v !== VERSION) throw invalidToken('continue key is not valid: server does not recognize this encoded version');
  const { rv, start } = parsed;
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv === 0 || rv < -1) {
    throw invalidToken(`continue key is not valid: incorrect encoded start resourceVersion (version ${VERSION})`);
  }
  if (typeof start !== 'string' || start === '' || start.split('/').some((seg) => seg === '..' || seg === '.') || start.startsWith('/')) {
    throw invalidToken('continue key is not valid: encoded start key is not valid');
  }
  const rel = start.endsWith('\u0000') ? start.slice(0, -1) : start;
  return { revision: rv === -1 ? undefined : rv, after: prefix + rel };
}

/**
 * 410 for a token whose revision was compacted. Like the apiserver, the Status carries a fresh
 * token (rv -1) in `metadata.continue` that continues inconsistently at the current revision.
 */
export function continueExpired(after: string, prefix: string): Error {
  const err = expired(
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
  err.status.metadata = { continue: encodeContinue(-1, after, prefix) };
  return err;
}

const invalidToken = (why: string) => badRequest(`invalid continue token: ${why}`);
