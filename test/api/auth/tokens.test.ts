import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTokenFile, parseTokenFile } from '../../../pkg/api/auth/index.ts';
import { tempDir } from './helpers.ts';

describe('ensureTokenFile', () => {
  it('creates a 0600 file with one random admin token in token-auth-file format', async () => {
    const path = join(await tempDir(), 'server', 'token');
    const token = await ensureTokenFile(path);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(await readFile(path, 'utf8')).toBe(`${token},system:admin,system:admin,"system:masters"\n`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await ensureTokenFile(join(await tempDir(), 'token'))).not.toBe(token);
  });

  it('leaves an existing file alone and returns its first token', async () => {
    const path = join(await tempDir(), 'token');
    const text = '# operators add lines here\nmine,alice,u1,"devs"\nother,bob,u2\n';
    await writeFile(path, text);
    expect(await ensureTokenFile(path)).toBe('mine');
    expect(await readFile(path, 'utf8')).toBe(text);
    await writeFile(path, '# nothing\n');
    await expect(ensureTokenFile(path)).rejects.toThrow(/no valid token/);
  });
});

describe('parseTokenFile', () => {
  it('reads kube-apiserver static token lines', () => {
    const text = [
      't1,alice,u1,"system:masters,devs"',
      't2, bob ,u2',
      '"t3","carol","","a"',
      '"t,4",dave,u4,"quoted ""group"""',
      '',
      '# comment',
    ].join('\r\n');
    expect(parseTokenFile(text)).toEqual([
      { token: 't1', user: { name: 'alice', uid: 'u1', groups: ['system:masters', 'devs'] } },
      { token: 't2', user: { name: 'bob', uid: 'u2', groups: [] } },
      { token: 't3', user: { name: 'carol', uid: undefined, groups: ['a'] } },
      { token: 't,4', user: { name: 'dave', uid: 'u4', groups: ['quoted "group"'] } },
    ]);
  });

  it('skips lines that do not parse instead of failing the whole file', () => {
    expect(parseTokenFile('only,two\n,nouser,u\n"unterminated,x,y\n"a"b,c,d\nok,user,uid\n')).toEqual([
      { token: 'ok', user: { name: 'user', uid: 'uid', groups: [] } },
    ]);
  });
});
