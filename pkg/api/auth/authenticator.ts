import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../request.ts';
import type { Pki } from './pki.ts';
import type { ServiceAccountTokens } from './serviceaccount/tokens.ts';
import { TokenTable } from './tokens.ts';

/**
 * Identifies the caller of one request, or resolves to undefined (the HTTP layer then answers
 * 401). Cheap for certificates and static tokens (the certificate result is cached per TLS
 * connection and the token file is only stat'ed); a service-account token costs a read of the
 * account (and bound object). Every identity carries the group `system:authenticated`.
 */
export type Authenticator = (req: IncomingMessage) => Promise<UserInfo | undefined>;

export interface AuthenticatorOptions {
  /** PEM of the CA whose client certificates are accepted. */
  caCert: string;
  /** A static token file (`token,user,uid,"groups"`), re-read when it changes. */
  tokenFile?: string;
  /** Service-account tokens (JWTs this server signed). */
  serviceAccounts?: ServiceAccountTokens;
}

const authenticated = 'system:authenticated';

/**
 * Client certificate first — the TLS layer must have verified it (`req.socket.authorized`, which
 * with OpenSSL's defaults also requires extendedKeyUsage clientAuth) and it must be issued by
 * `caCert`; CN is the user name, each O a group. Otherwise `Authorization: Bearer <token>`
 * looked up in `tokenFile`, then checked as a service-account token. Otherwise undefined. A certificate that fails verification is not an
 * error by itself: the request may still authenticate with a token, as in kube-apiserver.
 */
export function createAuthenticator(opts: AuthenticatorOptions): Authenticator {
  const ca = new X509Certificate(opts.caCert);
  const byToken = createTokenAuthenticator(opts);
  // null = "this connection has no usable certificate", so it is not examined again.
  const byConnection = new WeakMap<TLSSocket, UserInfo | null>();

  function fromCertificate(socket: TLSSocket): UserInfo | undefined {
    let user = byConnection.get(socket);
    if (user === undefined) {
      user = certificateUser(socket, ca) ?? null;
      byConnection.set(socket, user);
    }
    return user ?? undefined;
  }

  return async (req) => {
    const socket = req.socket as TLSSocket;
    const fromCert = socket.encrypted ? fromCertificate(socket) : undefined;
    if (fromCert) return fromCert;
    const token = bearerToken(req.headers.authorization);
    if (!token) return undefined;
    const verdict = await byToken(token);
    return 'user' in verdict ? verdict.user : undefined;
  };
}

/**
 * Checks one bearer token (requests, TokenReview): the token file first, then service-account
 * tokens for `audiences` (default: the API server's). Never throws for a bad token.
 */
export type TokenAuthenticator = (token: string, audiences?: string[]) => Promise<{ user: UserInfo; audiences: string[] } | { error: string }>;

export function createTokenAuthenticator(opts: Pick<AuthenticatorOptions, 'tokenFile' | 'serviceAccounts'>): TokenAuthenticator {
  const tokens = opts.tokenFile ? new TokenTable(opts.tokenFile) : undefined;
  return async (token, audiences) => {
    const fromFile = tokens?.lookup(token);
    if (fromFile) return { user: withAuthenticated(fromFile), audiences: audiences ?? opts.serviceAccounts?.audiences ?? [] };
    const verdict = await opts.serviceAccounts?.authenticate(token, audiences);
    return verdict ?? { error: 'invalid bearer token' };
  };
}

function certificateUser(socket: TLSSocket, ca: X509Certificate): UserInfo | undefined {
  if (!socket.authorized) return undefined;
  const peer = socket.getPeerCertificate();
  if (!peer?.raw) return undefined;
  // Guards against a server whose `ca` option trusts more than the cluster CA.
  if (!new X509Certificate(peer.raw).verify(ca.publicKey)) return undefined;
  const name = first(peer.subject?.CN);
  if (!name) return undefined;
  return withAuthenticated({ name, groups: all(peer.subject?.O) });
}

function bearerToken(header: string | undefined): string | undefined {
  const m = header?.match(/^\s*bearer\s+(\S+)\s*$/i);
  return m?.[1];
}

function withAuthenticated(user: UserInfo): UserInfo {
  return user.groups.includes(authenticated) ? user : { ...user, groups: [...user.groups, authenticated] };
}

// Node gives a repeated subject attribute as an array, a single one as a string.
function all(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function first(v: string | string[] | undefined): string | undefined {
  return all(v)[0];
}

/**
 * `https.createServer` options for the API: serve the serving certificate, ask every client for a
 * certificate but let those without one (or with a bad one) through to token authentication.
 */
export function httpsOptions(pki: Pick<Pki, 'caCert' | 'serverCert' | 'serverKey'>): ServerOptions {
  return {
    key: pki.serverKey,
    cert: pki.serverCert,
    ca: pki.caCert,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
  };
}
