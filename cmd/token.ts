import { request } from 'node:https';
import { join } from 'node:path';
import type { FlagValues } from './flags.ts';
import { UsageError } from './flags.ts';
import { bootstrapNamespace, bootstrapSecret, bootstrapSecretName, bootstrapSecretType, caHash, describeBootstrapSecret, formatJoinToken, generateBootstrapToken, readKubeconfig, type KubeconfigCredentials } from '../pkg/api/auth/index.ts';
import { httpsClient } from '../pkg/api/client/index.ts';
import { isNotFound } from '../pkg/api/status.ts';

/**
 * `skiff token create|list|delete`: join tokens of a running server, kept through its API as
 * kube-system Secrets `bootstrap-token-<id>` (type bootstrap.kubernetes.io/token), the way
 * kubeadm and k3s keep bootstrap tokens. Going through the API rather than the data dir means the
 * command works from any machine with an admin kubeconfig, the server sees revocations at once,
 * and expirations are checked by the server at each join.
 */
export async function run(flags: FlagValues, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const kubeconfigPath = (flags.kubeconfig as string | undefined) ?? join(flags['data-dir'] as string, 'server', 'admin.kubeconfig');
  const client = () => {
    let creds: KubeconfigCredentials;
    try {
      creds = readKubeconfig(kubeconfigPath);
    } catch (err) {
      throw new Error(`cannot read ${kubeconfigPath} (${(err as Error).message}); is the server running, or pass --kubeconfig`, { cause: err });
    }
    return { creds, secrets: httpsClient(creds).resource('v1', 'secrets') };
  };
  switch (verb) {
    case 'create': {
      if (rest.length) throw new UsageError('create takes no arguments');
      const ttlMs = parseDuration(String(flags.ttl));
      const { creds, secrets } = client();
      const token = generateBootstrapToken();
      const description = flags.description as string | undefined;
      await secrets.create(bootstrapNamespace, bootstrapSecret({ ...token, description, ...(ttlMs > 0 && { expiration: new Date(Date.now() + ttlMs) }) }));
      process.stdout.write(`${formatJoinToken({ ...token, caHash: caHash(await fetchCaCerts(creds)) })}\n`);
      return 0;
    }
    case 'list': {
      const { secrets } = client();
      const list = await secrets.list(bootstrapNamespace, { fieldSelector: `type=${bootstrapSecretType}` });
      const rows = [['ID', 'EXPIRES', 'USAGES', 'DESCRIPTION']];
      for (const s of list.items) {
        const t = describeBootstrapSecret(s);
        // Until the server's token cleaner deletes an expired token, it is shown as such (and refused).
        const expired = t && t.expiration !== undefined && !(Date.parse(t.expiration) > Date.now());
        if (t) rows.push([t.id, `${t.expiration ?? '<never>'}${expired ? ' (expired)' : ''}`, t.usages.join(',') || '<none>', t.description || '<none>']);
      }
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)) + 3);
      process.stdout.write(rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('')).join('\n') + '\n');
      return 0;
    }
    case 'delete': {
      if (rest.length === 0) throw new UsageError('delete needs the ID of a token (skiff token list)');
      const { secrets } = client();
      for (const arg of rest) {
        // Accepts the id, id.secret or a whole join token: everything before the dot after the last "::".
        const id = arg.split('::').at(-1)!.split('.')[0]!;
        try {
          await secrets.delete(bootstrapNamespace, bootstrapSecretName(id));
        } catch (err) {
          if (isNotFound(err)) throw new Error(`bootstrap token "${id}" not found (skiff token list shows the tokens)`, { cause: err });
          throw err;
        }
        process.stdout.write(`bootstrap token "${id}" deleted\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(verb === undefined ? 'missing subcommand: create, list or delete' : `unknown subcommand "${verb}" (create, list or delete)`);
  }
}

/**
 * A Go-style duration (`24h`, `90m`, `1h30m`, `45s`); 0 means "never expires", as kubeadm's --ttl.
 */
export function parseDuration(s: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (s === '0') return 0;
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== s) throw new UsageError(`--ttl: "${s}" is not a duration (e.g. 24h, 90m, 1h30m; 0 never expires)`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]!]!, 0);
}

// The CA bundle exactly as the server serves it: its hash is what joining agents compare.
function fetchCaCerts(creds: KubeconfigCredentials): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/cacerts', creds.server), { ca: creds.caCert, timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${creds.server}/cacerts answered ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (err) => reject(new Error(`cannot reach ${creds.server}: ${err.message}`, { cause: err })));
    req.end();
  });
}
