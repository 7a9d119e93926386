import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreOptions } from '../../pkg/store/index.ts';
import { runStoreConformance } from './conformance.ts';
import { iterate, rejection, take } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'skiff-store-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const paths = new WeakMap<Store, string>();

async function openAt(path: string, opts?: StoreOptions): Promise<Store> {
  const s = await openStore(`sqlite:${path}`, opts);
  paths.set(s, path);
  return s;
}

const fresh = (): string => join(dir, `s${n++}.db`);

/**
 * Clean: close and open again. Unclean: copy the database and WAL as they are on disk right now —
 * exactly what kill -9 leaves behind, since every commit is in the files (page cache) — and open
 * the copy; the original is then closed and forgotten.
 */
async function reopen(s: Store, how: { clean: boolean; options?: StoreOptions }): Promise<Store> {
  const path = paths.get(s)!;
  if (how.clean) {
    await s.close();
    return openAt(path, how.options);
  }
  const image = fresh();
  copyFileSync(path, image);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${image}-wal`);
  await s.close();
  return openAt(image, how.options);
}

runStoreConformance('sqlite', (opts) => openAt(fresh(), opts), reopen);

describe('openSqliteStore', () => {
  it('keeps every acknowledged write when the process is killed mid-stream', async () => {
    const path = fresh();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let stderr = '';
    let partial = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop()!;
        acked.push(...lines);
        if (acked.length >= 3000 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`writer exited early: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');
    const s = await openAt(path);
    try {
      const keys = new Set((await s.list('/registry/crash/', { keysOnly: true })).items.map((kv) => kv.key));
      const missing = acked.filter((k) => !keys.has(k));
      expect(missing).toEqual([]);
      expect(s.compactRevision()).toBe(s.currentRevision());
    } finally {
      await s.close();
    }
  });

  it('does not touch the database files for volatile-only writes', async () => {
    const path = fresh();
    const leases = '/registry/coordination.k8s.io/leases/';
    const s = await openAt(path, { volatilePrefixes: [leases] });
    const pod = await s.create('/registry/pods/ns/a', 'stored');
    await s.compact(s.currentRevision());
    const snapshot = (): string[] =>
      [path, `${path}-wal`].map((f) => {
        const st = statSync(f, { throwIfNoEntry: false });
        return st ? `${f} ${st.size} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(f)).digest('hex')}` : `${f} absent`;
      });
    const before = snapshot();
    expect(existsSync(`${path}-shm`)).toBe(false);
    const it = iterate(s, leases, s.currentRevision());
    let kv = await s.create(`${leases}n1`, '0');
    for (let i = 1; i < 300; i++) kv = await s.update(kv.key, String(i), kv.modRevision);
    await s.delete(kv.key);
    expect(await take(it, 301)).toHaveLength(301);
    expect((await s.list('/registry/')).items).toEqual([pod]);
    expect(await s.get(pod.key)).toEqual(pod);
    await s.compact(s.currentRevision());
    expect(snapshot()).toEqual(before);
    await s.close();
  });

  it('never reuses a revision after a crash, even past the reserved ceiling', async () => {
    const leases = '/registry/coordination.k8s.io/leases/';
    const s = await openAt(fresh(), { volatilePrefixes: [leases], historyRingSize: 100 });
    const keys = Array.from({ length: 1000 }, (_, i) => `${leases}n${i}`);
    let kvs = await Promise.all(keys.map((k) => s.create(k, '0')));
    for (let round = 1; round <= 120; round++) kvs = await Promise.all(kvs.map((kv) => s.update(kv.key, String(round), kv.modRevision)));
    const seen = s.currentRevision();
    expect(seen).toBeGreaterThan(100_000); // crossed at least one ceiling block
    const s2 = await reopen(s, { clean: false, options: { volatilePrefixes: [leases] } });
    expect(s2.currentRevision()).toBeGreaterThan(seen);
    expect(s2.compactRevision()).toBe(s2.currentRevision());
    await s2.close();
  });

  it('gives freed pages back to the file system after compaction', async () => {
    const s = await openAt(fresh());
    const big = 'x'.repeat(8000);
    await Promise.all(Array.from({ length: 2000 }, (_, i) => s.create(`/big/${i}`, big)));
    await Promise.all(Array.from({ length: 2000 }, (_, i) => s.delete(`/big/${i}`)));
    await s.create('/small', 'kept');
    const before = await s.stats();
    await s.compact(s.currentRevision());
    const after = await s.stats();
    expect(after).toMatchObject({ historyRows: 1, keys: 1 });
    expect(after.freeBytes).toBeLessThanOrEqual(1024 * 4096);
    expect(after.dbBytes).toBeLessThan(before.dbBytes / 2);
    expect(await s.get('/small')).toMatchObject({ value: 'kept' });
    await s.close();
  });

  it('refuses a second opener of the same file', async () => {
    const path = fresh();
    const s = await openAt(path);
    await expect(openAt(path)).rejects.toMatchObject({ code: 'ERR_STORE_LOCKED' });
    await s.close();
    await (await openAt(path)).close();
  });

  it('removes stored keys under a prefix that became volatile', async () => {
    const path = fresh();
    const s = await openAt(path);
    await s.create('/v/a', 'x');
    await s.create('/kept/a', 'y');
    const s2 = await reopen(s, { clean: true, options: { volatilePrefixes: ['/v/'] } });
    expect(await s2.get('/v/a')).toBeUndefined();
    expect((await s2.list('/')).items.map((kv) => kv.key)).toEqual(['/kept/a']);
    await s2.close();
  });

  it('rejects calls after close with StoreClosedError', async () => {
    const s = await openAt(fresh());
    await s.close();
    await s.close();
    expect((await rejection(s.get('/x'))).code).toBe('ERR_STORE_CLOSED');
    expect((await rejection(s.create('/x', 'y'))).code).toBe('ERR_STORE_CLOSED');
  });
});
