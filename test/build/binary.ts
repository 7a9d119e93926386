import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The single executable for tests (test/build, test/e2e): `dist/skiff-linux-<arch>`, built by
 * build.mjs at most once however many test files (vitest forks) ask at the same time, and reused
 * while it is newer than every input (cmd/, pkg/, build.mjs, package.json, the lock files).
 * `SKIFF_TEST_BINARY=/path` uses a given host binary instead and never builds.
 */
export const repoRoot = resolve(import.meta.dirname, '../..');

const sources = ['cmd', 'pkg', 'build.mjs', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json'];
const lockFile = join(repoRoot, 'dist', '.test-build.lock');

export type Arch = 'x64' | 'arm64';

export async function builtBinary(arch: Arch = process.arch as Arch): Promise<string> {
  if (process.env.SKIFF_TEST_BINARY && arch === process.arch) return resolve(process.env.SKIFF_TEST_BINARY);
  const out = join(repoRoot, 'dist', `skiff-linux-${arch}`);
  if (isFresh(out)) return out;
  await withLock(() => {
    if (isFresh(out)) return; // another test file built it while we waited
    const r = spawnSync(process.execPath, ['build.mjs', '--no-xz', '--arch', arch], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build.mjs --arch ${arch} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  });
  return out;
}

/** A build of cmd/skiff.ts (not a scratch --entry) that is newer than all its inputs. */
function isFresh(out: string): boolean {
  if (!existsSync(out) || !existsSync(`${out}.json`)) return false;
  try {
    const info = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    if (info.entry !== 'cmd/skiff.ts') return false;
  } catch {
    return false;
  }
  const built = statSync(out).mtimeMs;
  return sources.every((s) => newestMtime(join(repoRoot, s)) <= built);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file shows as a newer directory
  for (const e of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, e)));
  return newest;
}

// An O_EXCL lock file holding the builder's pid; a lock left by a dead process is taken over.
async function withLock(fn: () => void): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        mkdirSync(join(repoRoot, 'dist'), { recursive: true });
        continue;
      }
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readFileSafe(lockFile);
      const justCreated = holder === '' && Date.now() - mtimeSafe(lockFile) < 5000; // pid not written yet
      if (!justCreated && !isAlive(Number(holder))) rmSync(lockFile, { force: true });
      else if (Date.now() > deadline) throw new Error(`gave up waiting for ${lockFile}`);
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function mtimeSafe(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
