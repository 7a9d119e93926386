import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, ensurePki, ensureTokenFile, kubeconfig, writeKubeconfig } from '../../../pkg/api/auth/index.ts';
import type { Pki } from '../../../pkg/api/auth/index.ts';
import type { UserInfo } from '../../../pkg/api/request.ts';
import { serve, tempDir } from './helpers.ts';

const kubectlBin = process.env.SKIFF_TEST_KUBECTL ?? '/usr/bin/kubectl';

const version = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0+skiff',
  gitCommit: 'test',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Just enough of an API server for `kubectl version`, recording who called each path. */
async function tinyApiServer(pki: Pki, tokenFile?: string) {
  const authenticate = createAuthenticator({ caCert: pki.caCert, tokenFile });
  const seen: { path: string; user?: UserInfo }[] = [];
  const { port } = await serve(pki, async (req, res) => {
    const user = await authenticate(req);
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    seen.push({ path, user });
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!user) return send(401, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    if (path === '/version') return send(200, version);
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] });
    if (path === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
  });
  return { port, seen };
}

// Async on purpose: the server answering kubectl runs in this process.
function kubectl(home: string, kubeconfigPath: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      kubectlBin,
      ['--cache-dir', join(home, 'cache'), ...args],
      { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfigPath }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!existsSync(kubectlBin))('auth with the real kubectl', () => {
  it('kubectl authenticates with the admin client certificate from the kubeconfig', async () => {
    const dir = await tempDir();
    await ensurePki(join(dir, 'tls'), { hostnames: [], ips: [] });
    // Reissued by a second start, so kubectl (Go's verifier) checks a leaf signed by a CA read back from disk.
    const pki = await ensurePki(join(dir, 'tls'), { hostnames: ['skiff.test'], ips: [] });
    const { port, seen } = await tinyApiServer(pki);
    const path = join(dir, 'home', '.kube', 'config');
    await writeKubeconfig(path, kubeconfig({ server: `https://127.0.0.1:${port}`, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey }));

    const r = await kubectl(join(dir, 'home'), path, ['version', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).serverVersion).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0+skiff' });
    expect(seen.map((s) => s.path)).toContain('/version');
    for (const s of seen) expect(s.user).toEqual({ name: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('kubectl authenticates with a bearer token against the localhost name', async () => {
    const dir = await tempDir();
    const pki = await ensurePki(join(dir, 'tls'), { hostnames: [], ips: [] });
    const tokenFile = join(dir, 'token');
    const token = await ensureTokenFile(tokenFile);
    const { port, seen } = await tinyApiServer(pki, tokenFile);
    const path = join(dir, 'kubeconfig.yaml');
    await writeKubeconfig(path, kubeconfig({ server: `https://localhost:${port}`, caCert: pki.caCert, token }));

    const r = await kubectl(join(dir, 'home'), path, ['version', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).serverVersion.gitVersion).toBe('v1.32.0+skiff');
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.user).toEqual({ name: 'system:admin', uid: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('kubectl with a certificate from another cluster is told to log in', async () => {
    const dir = await tempDir();
    const pki = await ensurePki(join(dir, 'tls'), { hostnames: [], ips: [] });
    const other = await ensurePki(join(dir, 'other'), { hostnames: [], ips: [] });
    const { port, seen } = await tinyApiServer(pki);
    const path = join(dir, 'kubeconfig.yaml');
    await writeKubeconfig(path, kubeconfig({ server: `https://127.0.0.1:${port}`, caCert: pki.caCert, clientCert: other.adminCert, clientKey: other.adminKey }));

    const r = await kubectl(join(dir, 'home'), path, ['get', '--raw', '/version']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/You must be logged in to the server \(Unauthorized\)/);
    expect(seen.every((s) => s.user === undefined)).toBe(true);
  });
});
