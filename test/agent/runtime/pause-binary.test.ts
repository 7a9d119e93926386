import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pauseBinary, type Arch } from '../../../pkg/agent/runtime/index.ts';
import { tar } from '../../../pkg/agent/runtime/tar.ts';

const dir = mkdtempSync(join(tmpdir(), 'skiff-pause-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const qemu = ['qemu-aarch64-static', 'qemu-aarch64'].find((q) => spawnSync('sh', ['-c', `command -v ${q}`]).status === 0);

/** Starts the binary and reports the state the kernel shows for it a moment later. */
async function runState(arch: Arch): Promise<string> {
  const file = join(dir, `pause-${arch}`);
  writeFileSync(file, pauseBinary(arch));
  chmodSync(file, 0o755);
  const native = (arch === 'x64') === (process.arch === 'x64');
  const child = native ? spawn(file) : spawn(qemu!, [file]);
  try {
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    // Field 3 of /proc/PID/stat: S (sleeping in the kernel), never R (spinning).
    return readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]![0]!;
  } finally {
    child.kill('SIGKILL');
  }
}

describe('the sandbox binary', () => {
  it('is a static ELF executable of the target machine', () => {
    for (const [arch, machine] of [['x64', 0x3e], ['arm64', 0xb7]] as const) {
      const b = pauseBinary(arch);
      expect(b.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
      expect(b.readUInt16LE(18)).toBe(machine);
      expect(b.length).toBeLessThan(256);
    }
  });

  it('sleeps in the kernel until killed', async () => {
    expect(await runState(process.arch === 'arm64' ? 'arm64' : 'x64')).toBe('S');
  });

  it.skipIf(!qemu || process.arch === 'arm64')('sleeps under arm64 emulation too', async () => {
    expect(await runState('arm64')).toBe('S');
  });
});

describe('tar', () => {
  it('writes archives that tar reads back', () => {
    const file = join(dir, 'a.tar');
    writeFileSync(file, tar([{ name: 'pause', data: Buffer.from('x'.repeat(700)), mode: 0o755 }, { name: 'etc/hello', data: Buffer.from('hi\n') }]));
    const list = spawnSync('tar', ['-tvf', file], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^-rwxr-xr-x 0\/0\s+700 .* pause$/);
    expect(lines[1]).toMatch(/^-rw-r--r-- 0\/0\s+3 .* etc\/hello$/);
    const out = spawnSync('tar', ['-xOf', file, 'etc/hello'], { encoding: 'utf8' });
    expect(out.stdout).toBe('hi\n');
  });
});
