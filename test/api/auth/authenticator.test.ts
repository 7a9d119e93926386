import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, ensurePki, ensureTokenFile, httpsOptions } from '../../../pkg/api/auth/index.ts';
import type { Pki } from '../../../pkg/api/auth/index.ts';
import { get, serve, tempDir } from './helpers.ts';

const host = { hostnames: [], ips: [] };

/** A real HTTPS server that answers each request with the identity the authenticator found. */
async function whoami(pki: Pki, tokenFile?: string) {
  const authenticate = createAuthenticator({ caCert: pki.caCert, tokenFile });
  const { url } = await serve(pki, async (req, res) => {
    const user = await authenticate(req);
    res.writeHead(user ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(user ?? null));
  });
  return async (opts: { cert?: string; key?: string; token?: string }) => {
    const r = await get(url, '/whoami', { ca: pki.caCert, ...opts });
    return { status: r.status, user: JSON.parse(r.body) };
  };
}

describe('createAuthenticator', () => {
  it('identifies the admin client certificate by CN and O', async () => {
    const pki = await ensurePki(await tempDir(), host);
    const call = await whoami(pki);
    expect(await call({ cert: pki.adminCert, key: pki.adminKey })).toEqual({
      status: 200,
      user: { name: 'system:admin', groups: ['system:masters', 'system:authenticated'] },
    });
  });

  it('identifies a bearer token from the token file', async () => {
    const dir = await tempDir();
    const pki = await ensurePki(dir, host);
    const tokenFile = join(dir, 'token');
    const token = await ensureTokenFile(tokenFile);
    const call = await whoami(pki, tokenFile);
    expect(await call({ token })).toEqual({
      status: 200,
      user: { name: 'system:admin', uid: 'system:admin', groups: ['system:masters', 'system:authenticated'] },
    });
    expect((await call({ token: token.slice(0, -1) + (token.endsWith('0') ? '1' : '0') })).status).toBe(401);
  });

  it('rejects a client certificate from another CA, and a request without credentials', async () => {
    const pki = await ensurePki(await tempDir(), host);
    const stranger = await ensurePki(await tempDir(), host);
    const call = await whoami(pki);
    expect(await call({ cert: stranger.adminCert, key: stranger.adminKey })).toEqual({ status: 401, user: null });
    expect(await call({})).toEqual({ status: 401, user: null });
  });

  it('rejects a certificate of the cluster CA that is not for client authentication', async () => {
    const pki = await ensurePki(await tempDir(), host);
    const call = await whoami(pki);
    expect((await call({ cert: pki.serverCert, key: pki.serverKey })).status).toBe(401);
  });

  it('falls back to the bearer token when the certificate is not accepted', async () => {
    const dir = await tempDir();
    const pki = await ensurePki(dir, host);
    const stranger = await ensurePki(await tempDir(), host);
    const tokenFile = join(dir, 'token');
    const token = await ensureTokenFile(tokenFile);
    const call = await whoami(pki, tokenFile);
    const r = await call({ cert: stranger.adminCert, key: stranger.adminKey, token });
    expect(r.status).toBe(200);
    expect(r.user.uid).toBe('system:admin');
  });

  it('refuses certificates a server trusts but that the cluster CA did not issue', async () => {
    const pki = await ensurePki(await tempDir(), host);
    const other = await ensurePki(await tempDir(), host);
    // A server misconfigured to trust both CAs still only accepts the cluster's own clients.
    const authenticate = createAuthenticator({ caCert: pki.caCert });
    const trustingOther = createAuthenticator({ caCert: other.caCert });
    const { url } = await serve({ ...pki, caCert: pki.caCert + other.caCert }, async (req, res) => {
      res.end(JSON.stringify([(await authenticate(req)) ?? null, (await trustingOther(req))?.name]));
    });
    const r = await get(url, '/', { ca: pki.caCert, cert: other.adminCert, key: other.adminKey });
    expect(JSON.parse(r.body)).toEqual([null, 'system:admin']);
  });

  it('picks up tokens added to or removed from the file without a restart', async () => {
    const dir = await tempDir();
    const pki = await ensurePki(dir, host);
    const tokenFile = join(dir, 'token');
    await ensureTokenFile(tokenFile);
    const call = await whoami(pki, tokenFile);
    expect((await call({ token: 'ci-token-1' })).status).toBe(401);

    await appendFile(tokenFile, '# the CI robot\nci-token-1,ci,uid-42,"devs,ci"\n');
    expect(await call({ token: 'ci-token-1' })).toEqual({ status: 200, user: { name: 'ci', uid: 'uid-42', groups: ['devs', 'ci', 'system:authenticated'] } });

    const lines = (await readFile(tokenFile, 'utf8')).split('\n').filter((l) => !l.startsWith('ci-token-1'));
    await writeFile(tokenFile, lines.join('\n'));
    expect((await call({ token: 'ci-token-1' })).status).toBe(401);

    await rm(tokenFile);
    expect((await call({ token: 'ci-token-1' })).status).toBe(401);
    await writeFile(tokenFile, 'ci-token-1,ci2,\n');
    expect((await call({ token: 'ci-token-1' })).user).toEqual({ name: 'ci2', groups: ['system:authenticated'] });
  });
});

describe('httpsOptions', () => {
  it('asks for client certificates without requiring them, over TLS 1.2 or later', async () => {
    const pki = await ensurePki(await tempDir(), host);
    expect(httpsOptions(pki)).toEqual({
      key: pki.serverKey,
      cert: pki.serverCert,
      ca: pki.caCert,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    });
  });
});
