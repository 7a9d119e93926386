import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBinary, repoRoot } from './binary.ts';

// The arm64 (Raspberry Pi OS 64-bit) executable, run under qemu-user on an x86_64 machine.
// `SKIFF_TEST_ARM64=1 ./scripts/setup.sh` installs qemu-user-static and the arm64 libc.
const sysroot = '/usr/aarch64-linux-gnu';
const qemu = ['qemu-aarch64-static', 'qemu-aarch64']
  .map((q) => spawnSync('sh', ['-c', `command -v ${q}`], { encoding: 'utf8' }).stdout.trim())
  .find((p) => p.startsWith('/'));
const canRun = process.arch === 'x64' && qemu !== undefined && existsSync(join(sysroot, 'lib'));
const title = canRun
  ? 'arm64 single executable under qemu-user'
  : 'arm64 single executable under qemu-user (skipped: no qemu-aarch64-static and arm64 libc; SKIFF_TEST_ARM64=1 ./scripts/setup.sh)';

describe.runIf(canRun)(title, () => {
  let dir: string;
  let skiff: string;
  const version: string = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
  const run = (args: string[]) => {
    const r = spawnSync(qemu!, ['-L', sysroot, skiff, ...args], {
      cwd: dir,
      env: { PATH: '/nonexistent', SKIFF_NATIVE_DIR: join(dir, 'native') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    const built = await builtBinary('arm64');
    dir = mkdtempSync(join(tmpdir(), 'skiff-arm64-'));
    skiff = join(dir, 'skiff');
    copyFileSync(built, skiff);
    spawnSync('chmod', ['755', skiff]);
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is an aarch64 executable', () => {
    expect(readFileSync(skiff).subarray(0, 20).readUInt16LE(18)).toBe(183); // e_machine EM_AARCH64
  });

  it('prints its version', () => {
    const r = run(['version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`skiff version v${version}`);
  });

  it('keeps a store round trip across processes with the embedded arm64 SQLite addon', () => {
    const put = run(['store', 'put', '--data-dir', join(dir, 'data'), '/registry/test/a', 'hello']);
    expect(put.stderr).toBe('');
    expect(put.stdout.trim()).toMatch(/^[1-9]\d*$/);
    expect(run(['store', 'get', '--data-dir', join(dir, 'data'), '/registry/test/a']).stdout).toBe('hello\n');
  });
});
