import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  admits, bootstrapSecret, caHash, describeBootstrapSecret, ensureNodeToken, formatJoinToken, generateBootstrapToken, JoinTokenError, parseJoinToken,
  type BootstrapTokenSpec,
} from '../../../pkg/api/auth/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { tempDir } from './helpers.ts';

const hash = 'ab'.repeat(32);
const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('parseJoinToken', () => {
  it('reads SK10<hash>::<id>.<secret> and formats it back', () => {
    const t = parseJoinToken(`  SK10${hash.toUpperCase()}::abc123.0123456789abcdef\n`);
    expect(t).toEqual({ caHash: hash, id: 'abc123', secret: '0123456789abcdef' });
    expect(formatJoinToken(t)).toBe(`SK10${hash}::abc123.0123456789abcdef`);
  });

  it.each([
    ['abc123.0123456789abcdef', /starts with SK10/],
    [`K10${hash}::abc123.0123456789abcdef`, /starts with SK10/],
    [`SK10${hash}abc123.0123456789abcdef`, /form SK10<CA hash>::<id>\.<secret>/],
    [`SK10${hash.slice(2)}::abc123.0123456789abcdef`, /64 hex digits/],
    [`SK10${'zz'.repeat(32)}::abc123.0123456789abcdef`, /64 hex digits/],
    [`SK10${hash}::ABC123.0123456789abcdef`, /credentials/],
    [`SK10${hash}::abc123.0123456789abcde`, /credentials/],
    [`SK10${hash}::node:password`, /credentials/],
    ['', /starts with SK10/],
  ])('refuses %j without echoing it', (text, why) => {
    let err: unknown;
    try {
      parseJoinToken(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JoinTokenError);
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).not.toContain('0123456789abcdef');
  });
});

describe('caHash', () => {
  it('is the SHA-256 hex of the PEM bytes as served', () => {
    expect(caHash(pem)).toBe(createHash('sha256').update(pem).digest('hex'));
    expect(caHash(pem)).not.toBe(caHash(pem.trimEnd()));
  });
});

describe('generateBootstrapToken', () => {
  it('draws ids and secrets of the upstream shape, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const t = generateBootstrapToken();
      expect(t.id).toMatch(/^[a-z0-9]{6}$/);
      expect(t.secret).toMatch(/^[a-z0-9]{16}$/);
      seen.add(`${t.id}.${t.secret}`);
    }
    expect(seen.size).toBe(50);
  });
});

const token = { id: 'abc123', secret: '0123456789abcdef' };
const now = new Date('2026-01-01T00:00:00Z');
const data = (s: KObject) => s.data as Record<string, string>;
const decoded = (s: KObject) => Object.fromEntries(Object.entries(data(s)).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

describe('bootstrapSecret', () => {
  it('is a kube-system bootstrap-token Secret holding the hash of the secret, never the secret', () => {
    const s = bootstrapSecret({ ...token, description: 'for n1', expiration: new Date('2026-01-02T03:04:05.678Z') });
    expect(s.metadata).toEqual({ name: 'bootstrap-token-abc123', namespace: 'kube-system' });
    expect(s.type).toBe('bootstrap.kubernetes.io/token');
    expect(decoded(s)).toEqual({
      'token-id': 'abc123',
      'token-secret-sha256': createHash('sha256').update(token.secret).digest('hex'),
      'usage-bootstrap-authentication': 'true',
      'auth-extra-groups': 'system:bootstrappers:skiff:default-node-token',
      description: 'for n1',
      expiration: '2026-01-02T03:04:05Z',
    });
    expect(JSON.stringify(s)).not.toContain(token.secret);
    expect(JSON.stringify(s)).not.toContain(Buffer.from(token.secret).toString('base64'));
  });
});

describe('admits', () => {
  const withData = (s: KObject, extra: Record<string, string | undefined>): KObject => {
    const d = { ...data(s) };
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete d[k];
      else d[k] = Buffer.from(v).toString('base64');
    }
    return { ...s, data: d };
  };

  it('admits the right secret until the expiration, and refuses after it', () => {
    const s = bootstrapSecret({ ...token, expiration: new Date('2026-01-01T01:00:00Z') });
    expect(admits(s, token, now)).toBe(true);
    expect(admits(s, token, new Date('2026-01-01T01:00:00Z'))).toBe(false);
    expect(admits(bootstrapSecret(token), token, new Date('2100-01-01T00:00:00Z'))).toBe(true);
  });

  it('refuses a wrong secret, an unknown token, another type or name, a deleted Secret, and an unusable one', () => {
    const s = bootstrapSecret(token);
    expect(admits(s, { ...token, secret: 'fffffffffffffff0' }, now)).toBe(false);
    expect(admits(undefined, token, now)).toBe(false);
    expect(admits({ ...s, type: 'Opaque' }, token, now)).toBe(false);
    expect(admits(s, { ...token, id: 'zzz999' }, now)).toBe(false);
    expect(admits({ ...s, metadata: { ...s.metadata, deletionTimestamp: '2025-12-31T00:00:00Z' } }, token, now)).toBe(false);
    expect(admits(withData(s, { 'usage-bootstrap-authentication': undefined }), token, now)).toBe(false);
    expect(admits(withData(s, { 'usage-bootstrap-authentication': 'false' }), token, now)).toBe(false);
    expect(admits(withData(s, { expiration: 'tomorrow' }), token, now)).toBe(false);
    expect(admits(withData(s, { 'token-id': 'other1' }), token, now)).toBe(false);
    expect(admits(withData(s, { 'token-secret-sha256': 'not hex' }), token, now)).toBe(false);
    expect(admits(withData(s, { 'token-secret-sha256': undefined }), token, now)).toBe(false);
    expect(admits({ ...s, data: 'junk' }, token, now)).toBe(false);
  });

  it('honours upstream Secrets that hold token-secret in clear', () => {
    const s = bootstrapSecret(token);
    const upstream = { ...s, data: { ...data(s), 'token-secret': Buffer.from(token.secret).toString('base64') } };
    delete (upstream.data as Record<string, string>)['token-secret-sha256'];
    expect(admits(upstream, token, now)).toBe(true);
    expect(admits(upstream, { ...token, secret: 'fffffffffffffff0' }, now)).toBe(false);
  });
});

describe('describeBootstrapSecret', () => {
  it('shows id, expiration, usages, groups and description, and skips other Secrets', () => {
    const s = bootstrapSecret({ ...token, description: 'for n1', expiration: new Date('2026-01-02T00:00:00Z') });
    expect(describeBootstrapSecret(s)).toEqual({
      id: 'abc123', description: 'for n1', expiration: '2026-01-02T00:00:00Z', usages: ['authentication'], groups: ['system:bootstrappers:skiff:default-node-token'],
    });
    expect(describeBootstrapSecret({ ...s, type: 'Opaque' })).toBeUndefined();
    expect(describeBootstrapSecret({ ...s, data: {} })).toBeUndefined();
  });
});

describe('ensureNodeToken', () => {
  it('creates a 0600 token file once, keeps it, follows a new CA and registers it every time', async () => {
    const path = join(await tempDir(), 'server', 'node-token');
    const registered: BootstrapTokenSpec[] = [];
    const register = async (spec: BootstrapTokenSpec) => void registered.push(spec);
    const first = await ensureNodeToken(path, pem, register);
    const parsed = parseJoinToken(first);
    expect(parsed.caHash).toBe(caHash(pem));
    expect(await readFile(path, 'utf8')).toBe(`${first}\n`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(registered).toEqual([{ id: parsed.id, secret: parsed.secret, description: `the server's node-token (${path})`, labels: { 'skiff.io/node-token': 'true' } }]);

    expect(await ensureNodeToken(path, pem, register)).toBe(first);
    expect(registered).toHaveLength(2);
    expect(registered[1]).toEqual(registered[0]);

    const otherCa = pem.replace('MIIB', 'MIIC');
    const moved = await ensureNodeToken(path, otherCa, register);
    expect(parseJoinToken(moved)).toEqual({ ...parsed, caHash: caHash(otherCa) });
    expect(await readFile(path, 'utf8')).toBe(`${moved}\n`);
  });

  it('replaces a file that holds no token, and fails without writing when registering fails', async () => {
    const path = join(await tempDir(), 'node-token');
    await writeFile(path, 'garbage\n');
    const t = await ensureNodeToken(path, pem, async () => {});
    expect(parseJoinToken(t).caHash).toBe(caHash(pem));
    const other = join(await tempDir(), 'node-token');
    await expect(ensureNodeToken(other, pem, async () => { throw new Error('store down'); })).rejects.toThrow('store down');
    await expect(stat(other)).rejects.toThrow(/ENOENT/);
  });
});
