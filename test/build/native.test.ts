import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NativeExtractError, extractFile, nativeCacheDir, sqliteNativeBinding } from '../../pkg/store/native.ts';

const isRoot = process.getuid?.() === 0;

describe('sqliteNativeBinding', () => {
  it('is undefined outside the single executable, so better-sqlite3 finds its own addon', () => {
    expect(sqliteNativeBinding()).toBeUndefined();
  });
});

describe('nativeCacheDir', () => {
  it('prefers SKIFF_NATIVE_DIR', () => {
    expect(nativeCacheDir({ SKIFF_NATIVE_DIR: '/x/y', XDG_CACHE_HOME: '/c' })).toBe('/x/y');
  });

  it.runIf(isRoot)('uses /var/lib/skiff/native as root', () => {
    expect(nativeCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/var/lib/skiff/native');
  });

  it.runIf(!isRoot)('uses the XDG cache otherwise', () => {
    expect(nativeCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/skiff/native');
    expect(nativeCacheDir({})).toBe(join(homedir(), '.cache', 'skiff', 'native'));
  });
});

describe('extractFile', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'skiff-native-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes a content-addressed executable file once and reuses it', () => {
    const dir = join(tmp(), 'a', 'b');
    const bytes = new TextEncoder().encode('addon v1');
    const hash = createHash('sha256').update(bytes).digest('hex');
    const file = extractFile(bytes, 'better_sqlite3.node', dir);
    expect(file).toBe(join(dir, `better_sqlite3-${hash.slice(0, 16)}.node`));
    expect(readFileSync(file, 'utf8')).toBe('addon v1');
    expect(statSync(file).mode & 0o777).toBe(0o755);

    const mtime = statSync(file).mtimeMs;
    expect(extractFile(bytes, 'better_sqlite3.node', dir)).toBe(file);
    expect(statSync(file).mtimeMs).toBe(mtime);

    // a new build's addon gets its own file; no temporary files are left behind
    const other = extractFile(new TextEncoder().encode('addon v2'), 'better_sqlite3.node', dir);
    expect(other).not.toBe(file);
    expect(readdirSync(dir).sort()).toEqual([file, other].map((f) => f.slice(dir.length + 1)).sort());
  });

  it('trusts a precomputed hash (build.mjs embeds it)', () => {
    const dir = tmp();
    expect(extractFile(new Uint8Array([1]), 'x.node', dir, 'abcdef0123456789ffff')).toBe(join(dir, 'x-abcdef0123456789.node'));
  });

  it('fails with a clear NativeExtractError when the directory cannot be created', () => {
    const base = tmp();
    writeFileSync(join(base, 'file'), '');
    const dir = join(base, 'file', 'native');
    let err: unknown;
    try {
      extractFile(new Uint8Array([1]), 'better_sqlite3.node', dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NativeExtractError);
    expect((err as NativeExtractError).code).toBe('SKIFF_NATIVE_EXTRACT');
    expect((err as Error).message).toContain(`to ${dir}: ENOTDIR`);
    expect((err as Error).message).toContain('SKIFF_NATIVE_DIR');
  });
});
