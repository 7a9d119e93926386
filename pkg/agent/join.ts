import { X509Certificate, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { caHash, kubeconfig, parseJoinToken, readKubeconfig, renewBeforeMs, writeKubeconfig, type KubeconfigCredentials } from '../api/auth/index.ts';
import type { Logger } from '../util/index.ts';

// The agent side of joining (DESIGN.md §7; k3s: pkg/agent/config get()): trust the server only
// through the join token's CA hash, then trade the token for node credentials once and keep them.

/** A join that cannot go on; `message` is one line for the user. */
export class JoinError extends Error {
  readonly code = 'JOIN_FAILED';
}

export interface JoinOptions {
  /** --server; absent → the server of the stored credentials. */
  server?: string;
  /** --token; needed only when no credentials for `nodeName` are stored. */
  token?: string;
  nodeName: string;
  /** `<data-dir>/agent`: the credentials are kept in `node.kubeconfig` there, the node password in `node-password` (both 0600). */
  dir: string;
  log: Logger;
}

export const nodeKubeconfigFile = 'node.kubeconfig';
export const nodePasswordFile = 'node-password';
const timeoutMs = 30_000;

/**
 * The credentials this node uses. Stored ones for the same node are reused (no token needed; a
 * given --server overrides the stored URL), and renewed with themselves when they expire within
 * {@link renewBeforeMs}. Otherwise: GET /cacerts without verifying TLS, compare
 * its SHA-256 with the token's CA hash, then POST /v1-skiff/join over TLS verified against that CA,
 * and store the answer. Throws {@link JoinError} (or JoinTokenError for a malformed token).
 */
export async function nodeCredentials(opts: JoinOptions): Promise<KubeconfigCredentials> {
  const path = join(opts.dir, nodeKubeconfigFile);
  if (existsSync(path)) {
    const stored = readKubeconfig(path);
    const cert = parseCertificate(stored.clientCert);
    const owner = cert && /^CN=(.*)$/m.exec(cert.subject)?.[1];
    if (owner === `system:node:${opts.nodeName}`) {
      const creds = { ...stored, server: opts.server ?? stored.server };
      if (cert!.validToDate.getTime() - Date.now() > renewBeforeMs) return creds;
      const renewed = await renew(creds, path, opts, cert!.validToDate);
      if (renewed) return renewed;
    } else if (!opts.token) {
      throw new JoinError(`${path} holds credentials for ${owner ?? 'another user'}, not node ${opts.nodeName}: pass --token to join as ${opts.nodeName}`);
    }
  }
  if (!opts.token) throw new JoinError('--token is required to join (or --kubeconfig): the server prints its join token into <data-dir>/server/node-token');
  if (!opts.server) throw new JoinError('--server is required with --token (https://<server>:6443)');
  const token = parseJoinToken(opts.token);
  const server = serverUrl(opts.server);
  const caCert = await fetchCaCerts(server);
  const got = caHash(caCert);
  if (got !== token.caHash) {
    throw new JoinError(`the CA of ${server.origin} (sha256 ${got}) does not match the join token's (${token.caHash}): wrong server, or a token of another cluster`);
  }
  const nodePassword = await ensureNodePassword(join(opts.dir, nodePasswordFile));
  const creds = await requestCredentials(server, { ca: caCert, headers: { Authorization: `Bearer ${token.id}.${token.secret}` } }, opts.nodeName, nodePassword);
  const kc: KubeconfigCredentials = { server: server.origin, caCert, clientCert: creds.clientCert, clientKey: creds.clientKey };
  await writeKubeconfig(path, kubeconfig(kc));
  opts.log.info('joined the cluster', { server: server.origin, node: opts.nodeName, credentials: path });
  return kc;
}

function serverUrl(s: string): URL {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new JoinError(`--server: "${s}" is not a URL (https://<server>:6443)`);
  }
  if (url.protocol !== 'https:') throw new JoinError(`--server: "${s}" must be an https:// URL`);
  return url;
}

/**
 * Fresh credentials for stored ones that expire within {@link renewBeforeMs}, asked for with the
 * current certificate (no token). When the server cannot renew them, the current ones are kept
 * while they last (undefined is returned only once they have expired, so that a --token may join
 * again); expired ones without a token are an error.
 */
async function renew(creds: KubeconfigCredentials, path: string, opts: JoinOptions, expires: Date): Promise<KubeconfigCredentials | undefined> {
  try {
    const fresh = await requestCredentials(serverUrl(creds.server), { ca: creds.caCert, cert: creds.clientCert, key: creds.clientKey }, opts.nodeName);
    const kc = { ...creds, ...fresh };
    await writeKubeconfig(path, kubeconfig({ ...kc, server: creds.server }));
    opts.log.info('renewed the node credentials', { node: opts.nodeName, expired: expires.toISOString(), credentials: path });
    return kc;
  } catch (err) {
    if (expires.getTime() > Date.now()) {
      opts.log.warn('cannot renew the node credentials; using the current ones', { node: opts.nodeName, expires: expires.toISOString(), err: (err as Error).message });
      return creds;
    }
    if (opts.token) return undefined;
    throw new JoinError(`the node credentials in ${path} expired on ${expires.toISOString()} and could not be renewed (${(err as Error).message}): pass --token to join again`, { cause: err });
  }
}

/**
 * This machine's node password (k3s: /etc/rancher/node/password): 32 random bytes in hex, made
 * once and kept 0600, so that the server can tell a rejoin of this machine from another machine
 * taking its name.
 */
async function ensureNodePassword(path: string): Promise<string> {
  const existing = (await readIfExists(path))?.trim();
  if (existing && existing.length >= 32) return existing;
  const password = randomBytes(32).toString('hex');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${password}\n`, { mode: 0o600 });
  return password;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseCertificate(pem: string | undefined): X509Certificate | undefined {
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

// Verification is off on purpose: the token's hash, not the TLS chain, decides whether this CA is trusted.
async function fetchCaCerts(server: URL): Promise<string> {
  const { status, body } = await send(new URL('/cacerts', server), { method: 'GET', rejectUnauthorized: false });
  if (status !== 200 || !body.includes('-----BEGIN CERTIFICATE-----')) {
    throw new JoinError(`${server.origin}/cacerts answered ${status} without a CA certificate: is this a skiff server?`);
  }
  return body;
}

// `auth`: the CA to verify the server with, and a bearer join token or the node's current certificate.
async function requestCredentials(server: URL, auth: { ca: string; cert?: string; key?: string; headers?: Record<string, string> }, nodeName: string, nodePassword?: string): Promise<{ clientCert: string; clientKey: string }> {
  const payload = JSON.stringify({ nodeName, ...(nodePassword && { nodePassword }) });
  const { status, body } = await send(new URL('/v1-skiff/join', server), {
    method: 'POST', ...auth, headers: { ...auth.headers, 'Content-Type': 'application/json' },
  }, payload);
  let parsed: { message?: unknown; clientCert?: unknown; clientKey?: unknown } = {};
  try {
    parsed = JSON.parse(body);
  } catch {
    // Reported below with the status code.
  }
  if (status === 200 && typeof parsed.clientCert === 'string' && typeof parsed.clientKey === 'string') return { clientCert: parsed.clientCert, clientKey: parsed.clientKey };
  const why = typeof parsed.message === 'string' ? parsed.message : `HTTP ${status}`;
  if (status === 403 && !auth.cert) throw new JoinError(why);
  if (status === 401) throw new JoinError(auth.cert ? `${server.origin} refused the node certificate: ${why}` : `${server.origin} refused the join token: it is unknown, expired or deleted`);
  throw new JoinError(`joining ${server.origin} as ${nodeName} failed: ${why}`);
}

function send(url: URL, opts: { method: string; rejectUnauthorized?: boolean; ca?: string; cert?: string; key?: string; headers?: Record<string, string> }, payload?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...opts, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const hint = err.code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? ` (start the server with --tls-san ${url.hostname})` : '';
      reject(new JoinError(`cannot reach ${url.origin}: ${err.message}${hint}`, { cause: err }));
    });
    req.end(payload);
  });
}
