import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinError, nodeCredentials } from '../../pkg/agent/join.ts';
import { issueLeaf, JoinTokenError, kubeconfig, readKubeconfig, writeKubeconfig } from '../../pkg/api/auth/index.ts';
import { httpsClient } from '../../pkg/api/client/index.ts';
import { silentLogger } from '../../pkg/util/index.ts';
import { startApiServer, type ServerHarness } from '../api/server/harness.ts';

let h: ServerHarness;
let token: string;
let dir: string;

beforeAll(async () => {
  h = await startApiServer();
  token = readFileSync(h.server.nodeTokenPath!, 'utf8').trim();
  dir = await mkdtemp(join(tmpdir(), 'skiff-agent-join-'));
});
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const log = silentLogger;

describe('nodeCredentials', () => {
  it('joins with the token, stores the credentials 0600, and reuses them without a token', async () => {
    const agentDir = join(dir, 'a', 'agent');
    const creds = await nodeCredentials({ server: h.server.url, token, nodeName: 'node-a', dir: agentDir, log });
    expect(creds.caCert).toBe(h.server.caCert);
    const file = join(agentDir, 'node.kubeconfig');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readKubeconfig(file)).toEqual(creds);

    const client = httpsClient(creds);
    try {
      const ns = await client.resource('v1', 'namespaces').get(undefined, 'kube-system');
      expect(ns.metadata.name).toBe('kube-system');
    } finally {
      client.close();
    }

    expect(await nodeCredentials({ nodeName: 'node-a', dir: agentDir, log })).toEqual(creds);
    expect(await nodeCredentials({ server: 'https://elsewhere:6443', nodeName: 'node-a', dir: agentDir, log })).toEqual({ ...creds, server: 'https://elsewhere:6443' });
    await expect(nodeCredentials({ nodeName: 'node-b', dir: agentDir, log })).rejects.toThrow(/holds credentials for system:node:node-a, not node node-b: pass --token/);
    const again = await nodeCredentials({ server: h.server.url, token, nodeName: 'node-b', dir: agentDir, log });
    expect(again.clientCert).not.toBe(creds.clientCert);
  });

  it('refuses a server whose CA does not match the hash in the token', async () => {
    const wrong = token.replace(/^SK10[0-9a-f]{64}/, `SK10${'0'.repeat(64)}`);
    const err = await nodeCredentials({ server: h.server.url, token: wrong, nodeName: 'n', dir: join(dir, 'b'), log }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JoinError);
    expect((err as Error).message).toMatch(/^the CA of https:\/\/127\.0\.0\.1:\d+ \(sha256 [0-9a-f]{64}\) does not match the join token's \(0{64}\): wrong server, or a token of another cluster$/);
  });

  it('says so when the server refuses the token, the name is bad, or the inputs are unusable', async () => {
    const unknown = token.replace(/::.*$/, '::abcdef.0123456789abcdef');
    await expect(nodeCredentials({ server: h.server.url, token: unknown, nodeName: 'n', dir: join(dir, 'c'), log }))
      .rejects.toThrow(/^https:\/\/127\.0\.0\.1:\d+ refused the join token: it is unknown, expired or deleted$/);
    await expect(nodeCredentials({ server: h.server.url, token, nodeName: 'Bad_Name', dir: join(dir, 'c'), log }))
      .rejects.toThrow(/^joining https:\/\/127\.0\.0\.1:\d+ as Bad_Name failed: Node "Bad_Name" is invalid: nodeName: Invalid value/);
    await expect(nodeCredentials({ server: h.server.url, token: 'nope', nodeName: 'n', dir: join(dir, 'c'), log })).rejects.toBeInstanceOf(JoinTokenError);
    await expect(nodeCredentials({ server: 'http://127.0.0.1:1', token, nodeName: 'n', dir: join(dir, 'c'), log })).rejects.toThrow(/must be an https:\/\/ URL/);
    await expect(nodeCredentials({ server: 'https://127.0.0.1:1', token, nodeName: 'n', dir: join(dir, 'c'), log })).rejects.toThrow(/^cannot reach https:\/\/127\.0\.0\.1:1: /);
    await expect(nodeCredentials({ token, nodeName: 'n', dir: join(dir, 'c'), log })).rejects.toThrow(/--server is required/);
    await expect(nodeCredentials({ server: h.server.url, nodeName: 'n', dir: join(dir, 'c'), log })).rejects.toThrow(/--token is required/);
  });
});

describe('nodeCredentials node password', () => {
  it('is kept 0600, lets this machine rejoin, and another machine taking a live node\'s name is told so', async () => {
    const mine = join(dir, 'pw-a', 'agent');
    await nodeCredentials({ server: h.server.url, token, nodeName: 'pi-x', dir: mine, log });
    expect(statSync(join(mine, 'node-password')).mode & 0o777).toBe(0o600);
    const node = await h.request('/api/v1/nodes', { method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'pi-x' } }), headers: { 'Content-Type': 'application/json' } });
    expect(node.status).toBe(201);
    await rm(join(mine, 'node.kubeconfig'));
    await expect(nodeCredentials({ server: h.server.url, token, nodeName: 'pi-x', dir: mine, log })).resolves.toMatchObject({ server: h.server.url });
    const other = nodeCredentials({ server: h.server.url, token, nodeName: 'pi-x', dir: join(dir, 'pw-b', 'agent'), log });
    await expect(other).rejects.toBeInstanceOf(JoinError);
    await expect(other).rejects.toThrow(/^node "pi-x" already exists and was joined by another machine \(its node password differs\): pick another --node-name, or delete the node/);
  });
});

describe('nodeCredentials renewal', () => {
  const day = 86_400_000;
  /** Stored credentials for `node` issued `ageDays` ago (they last 365 days). */
  async function storedAged(agentDir: string, node: string, ageDays: number, server = h.server.url!): Promise<string> {
    const tls = join(dirname(h.server.nodeTokenPath!), 'tls');
    const ca = { cert: h.server.caCert!, key: readFileSync(join(tls, 'ca.key'), 'utf8') };
    const old = await issueLeaf(ca, { commonName: `system:node:${node}`, organizations: ['system:nodes'], usage: 'client' }, new Date(Date.now() - ageDays * day));
    await mkdir(agentDir, { recursive: true });
    await writeKubeconfig(join(agentDir, 'node.kubeconfig'), kubeconfig({ server, caCert: ca.cert, clientCert: old.cert, clientKey: old.key }));
    return old.cert;
  }
  const expiry = (pem: string | undefined) => new X509Certificate(pem!).validToDate.getTime();

  it('renews credentials that expire within 90 days with themselves, and keeps younger ones', async () => {
    const agentDir = join(dir, 'renew', 'agent');
    const old = await storedAged(agentDir, 'node-r', 300);
    const creds = await nodeCredentials({ nodeName: 'node-r', dir: agentDir, log });
    expect(expiry(creds.clientCert)).toBeGreaterThan(expiry(old) + 200 * day);
    expect(readKubeconfig(join(agentDir, 'node.kubeconfig'))).toEqual(creds);

    const young = join(dir, 'young', 'agent');
    const kept = await storedAged(young, 'node-y', 100);
    expect((await nodeCredentials({ nodeName: 'node-y', dir: young, log })).clientCert).toBe(kept);
  });

  it('keeps credentials it cannot renew while they last, and asks for a token once they expired', async () => {
    const agentDir = join(dir, 'unreachable', 'agent');
    const old = await storedAged(agentDir, 'node-u', 300, 'https://127.0.0.1:1');
    expect((await nodeCredentials({ nodeName: 'node-u', dir: agentDir, log })).clientCert).toBe(old);

    const expiredDir = join(dir, 'expired', 'agent');
    await storedAged(expiredDir, 'node-e', 400);
    await expect(nodeCredentials({ nodeName: 'node-e', dir: expiredDir, log })).rejects.toThrow(/^the node credentials in .* expired on .* and could not be renewed \(.*\): pass --token to join again$/);
    const rejoined = await nodeCredentials({ server: h.server.url, token, nodeName: 'node-e', dir: expiredDir, log });
    expect(expiry(rejoined.clientCert)).toBeGreaterThan(Date.now() + 300 * day);
  });
});
