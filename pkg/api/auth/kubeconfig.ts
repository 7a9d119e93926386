import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import { writeFileAtomic } from './files.ts';

/** Everything a client needs to reach one cluster as one user, all PEM text. */
export interface KubeconfigCredentials {
  server: string;
  caCert: string;
  clientCert?: string;
  clientKey?: string;
  token?: string;
}

export interface KubeconfigOptions extends KubeconfigCredentials {
  /** Name of the cluster, user and context (k3s uses `default`). */
  name?: string;
}

/** Thrown by {@link readKubeconfig} for a file that cannot be used; `message` says which part. */
export class KubeconfigError extends Error {
  readonly code = 'KUBECONFIG_INVALID';
}

/**
 * Kubeconfig YAML in the shape k3s writes to `/etc/rancher/k3s/k3s.yaml`: one cluster, user and
 * context, all called `name`, with the CA and (if given) the client certificate and key inline
 * as base64 `*-data`, and/or a bearer token; `current-context` set.
 */
export function kubeconfig(opts: KubeconfigOptions): string {
  const name = opts.name ?? 'default';
  const user: Record<string, string> = {};
  if (opts.clientCert) user['client-certificate-data'] = b64(opts.clientCert);
  if (opts.clientKey) user['client-key-data'] = b64(opts.clientKey);
  if (opts.token) user.token = opts.token;
  return dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caCert) } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
    users: [{ name, user }],
  });
}

/**
 * Writes a kubeconfig atomically (readers never see half a file), creating parent directories.
 * `mode` defaults to 0600 because the file holds credentials; k3s users sometimes want 0644
 * (`--write-kubeconfig-mode`).
 */
export async function writeKubeconfig(path: string, text: string, opts: { mode?: number } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text, opts.mode ?? 0o600);
}

/**
 * Reads the current context of the kubeconfig at `path` (synchronously, so clients can be built
 * in constructors). Accepts both inline `*-data` fields and file paths (`certificate-authority`,
 * `client-certificate`, `client-key`, `tokenFile`); relative paths are resolved against the
 * kubeconfig's directory, as kubectl does. Throws {@link KubeconfigError} when the context,
 * cluster, user or CA is missing, and the fs error when a referenced file cannot be read.
 */
export function readKubeconfig(path: string): KubeconfigCredentials {
  const doc = load(readFileSync(path, 'utf8')) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new KubeconfigError(`${path}: not a kubeconfig`);
  const contextName = str(doc['current-context']);
  if (!contextName) throw new KubeconfigError(`${path}: no current-context`);
  const context = named(doc.contexts, contextName, 'context');
  if (!context) throw new KubeconfigError(`${path}: context "${contextName}" not found`);
  const clusterName = str(context.cluster);
  const cluster = clusterName ? named(doc.clusters, clusterName, 'cluster') : undefined;
  if (!cluster) throw new KubeconfigError(`${path}: cluster "${clusterName ?? ''}" of context "${contextName}" not found`);
  const userName = str(context.user);
  const user = (userName ? named(doc.users, userName, 'user') : undefined) ?? {};

  const base = dirname(resolve(path));
  const material = (data: unknown, file: unknown): string | undefined => {
    if (str(data)) return Buffer.from(str(data)!, 'base64').toString('utf8');
    if (str(file)) return readFileSync(resolve(base, str(file)!), 'utf8');
    return undefined;
  };

  const server = str(cluster.server);
  if (!server) throw new KubeconfigError(`${path}: cluster "${clusterName}" has no server`);
  const caCert = material(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (!caCert) throw new KubeconfigError(`${path}: cluster "${clusterName}" has no certificate-authority(-data)`);
  const creds: KubeconfigCredentials = { server, caCert };
  const clientCert = material(user['client-certificate-data'], user['client-certificate']);
  const clientKey = material(user['client-key-data'], user['client-key']);
  if (clientCert) creds.clientCert = clientCert;
  if (clientKey) creds.clientKey = clientKey;
  const token = str(user.token) ?? (str(user.tokenFile) ? readFileSync(resolve(base, str(user.tokenFile)!), 'utf8').trim() : undefined);
  if (token) creds.token = token;
  return creds;
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

// kubeconfig lists are [{ name, <field>: {...} }]; the last entry of a name wins, as in clientcmd.
function named(list: unknown, name: string, field: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  let found: Record<string, unknown> | undefined;
  for (const item of list) {
    if (item && typeof item === 'object' && item.name === name && item[field] && typeof item[field] === 'object') found = item[field];
  }
  return found;
}
