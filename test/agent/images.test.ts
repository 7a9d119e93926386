import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importImagesDir } from '../../pkg/agent/images-dir.ts';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import { silentLogger } from '../../pkg/util/index.ts';
import { repoRoot, skiffFromSource } from '../helpers/cli.ts';

// Archives are made with `docker save` of the locally built test image under new names.
const rt = new DockerRuntime();
const run = randomBytes(3).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'skiff-images-'));
const names = [`skiff-test/airgap-a:${run}`, `skiff-test/airgap-b:${run}`];
afterAll(() => {
  for (const n of names) spawnSync('docker', ['rmi', '-f', n]);
  rmSync(dir, { recursive: true, force: true });
});

function archive(name: string, file: string): void {
  execFileSync('docker', ['tag', 'skiff-test/busybox:latest', name]);
  execFileSync('docker', ['save', '-o', file, name]);
  execFileSync('docker', ['rmi', name]);
}

describe('image import (real engine)', () => {
  it('skiff images import loads a docker save archive', async () => {
    const file = join(dir, 'a.tar');
    archive(names[0]!, file);
    expect(await rt.hasImage(names[0]!)).toBe(false);
    const [cmd, argv] = skiffFromSource(['images', 'import', file]);
    const r = spawnSync(cmd, [...argv], { encoding: 'utf8', cwd: repoRoot });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${file}: ${names[0]}\n`);
    expect(await rt.hasImage(names[0]!)).toBe(true);
    const bad = spawnSync(cmd, [...argv.slice(0, -1), join(dir, 'missing.tar')], { encoding: 'utf8', cwd: repoRoot });
    expect(bad.status).toBe(2);
  });

  it('the agent imports archives from <data-dir>/agent/images at start, skipping broken ones', async () => {
    const images = join(dir, 'data', 'agent', 'images');
    mkdirSync(images, { recursive: true });
    archive(names[1]!, join(images, 'b.tar'));
    execFileSync('sh', ['-c', `echo not-a-tar > ${join(images, 'broken.tar')}`]);
    expect(await importImagesDir(rt, join(dir, 'data'), silentLogger)).toEqual([names[1]]);
    expect(await rt.hasImage(names[1]!)).toBe(true);
  });
});
