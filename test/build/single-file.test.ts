import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBinary, repoRoot } from './binary.ts';

const version: string = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;

// The executable is copied ALONE into an empty directory and run with a PATH that holds nothing:
// no node, no node_modules, no source tree to fall back to.
describe('single executable (build.mjs)', () => {
  let dir: string;
  let skiff: string;
  let env: NodeJS.ProcessEnv;
  const dataDir = () => join(dir, 'data');
  const nativeDir = () => join(dir, 'native');

  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(skiff, args, { cwd: dir, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 30_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
  };

  beforeAll(async () => {
    const built = await builtBinary();
    dir = mkdtempSync(join(tmpdir(), 'skiff-single-'));
    skiff = join(dir, 'skiff');
    copyFileSync(built, skiff);
    spawnSync('chmod', ['755', skiff]);
    mkdirSync(join(dir, 'empty-path'));
    env = { PATH: join(dir, 'empty-path'), HOME: join(dir, 'home'), SKIFF_NATIVE_DIR: nativeDir() };
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs alone in an empty directory with no node on PATH', () => {
    expect(readdirSync(dir).sort()).toEqual(['empty-path', 'skiff']);
    expect(spawnSync('sh', ['-c', 'command -v node'], { env }).status).not.toBe(0);
    const r = run(['version']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`skiff version v${version}`);
    expect(r.stdout).toContain('node v24.');
    // with the system's Node 20 on PATH it still runs its embedded Node 24
    expect(run(['version'], { PATH: '/usr/bin:/bin' }).stdout).toContain('node v24.');
  });

  it('ignores NODE_OPTIONS (execArgvExtension: none)', () => {
    const r = run(['version'], { NODE_OPTIONS: '--require /nonexistent.js' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`skiff version v${version}`);
  });

  it('keeps a store round trip across processes with the embedded SQLite addon', () => {
    const put = run(['store', 'put', '--data-dir', dataDir(), '/registry/test/a', 'hello']);
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    expect(put.stdout.trim()).toMatch(/^[1-9]\d*$/);

    const get = run(['store', 'get', '--data-dir', dataDir(), '/registry/test/a']);
    expect(get.stderr).toBe('');
    expect(get.stdout).toBe('hello\n');

    const put2 = run(['store', 'put', '--data-dir', dataDir(), '/registry/test/a', 'again']);
    expect(Number(put2.stdout)).toBeGreaterThan(Number(put.stdout));
    expect(run(['store', 'get', '--data-dir', dataDir(), '/registry/test/a']).stdout).toBe('again\n');
  });

  it('extracts the addon once, content-addressed, and loads exactly that file', () => {
    const files = readdirSync(nativeDir());
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^better_sqlite3-[0-9a-f]{16}\.node$/);

    // Proof that the bundled better-sqlite3 loads this file and nothing else: a corrupted copy
    // under that name makes the store unusable…
    const addon = join(nativeDir(), files[0]);
    writeFileSync(addon, 'not an ELF file');
    const broken = run(['store', 'get', '--data-dir', dataDir(), '/registry/test/a']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('cannot load the SQLite addon');
    expect(broken.stderr).toContain(addon);

    // …and once it is gone the next run extracts it again.
    rmSync(addon);
    expect(run(['store', 'get', '--data-dir', dataDir(), '/registry/test/a']).stdout).toBe('again\n');
    expect(readdirSync(nativeDir())).toEqual(files);
  });

  it('reports an unusable native directory clearly', () => {
    writeFileSync(join(dir, 'a-file'), '');
    const r = run(['store', 'get', '--data-dir', dataDir(), '/registry/test/a'], { SKIFF_NATIVE_DIR: join(dir, 'a-file', 'native') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot extract the native addon better_sqlite3\.node to .*a-file\/native: ENOTDIR/);
    expect(r.stderr).toContain('SKIFF_NATIVE_DIR');
  });
});
