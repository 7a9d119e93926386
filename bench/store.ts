// Store benchmark: `npx tsx bench/store.ts`. Human-readable lines, then one JSON line.
// BENCH_IDLE_SECONDS (default 60) sets the length of the idle-disk-writes phase.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../pkg/store/index.ts';
import { fileBytes, fingerprint, median, percentile, round, sleep, writeBytes } from './lib/measure.ts';

const LEASES = '/registry/coordination.k8s.io/leases/';
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const value = (i: number): string => JSON.stringify({ kind: 'Pod', metadata: { name: `pod-${i}`, namespace: 'bench' }, spec: { pad: 'x'.repeat(900) } });
const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-store-'));
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function open(name: string): Promise<{ store: Store; files: string[] }> {
  const path = join(dir, `${name}.db`);
  return { store: await openStore(`sqlite:${path}`, { volatilePrefixes: [LEASES] }), files: [path, `${path}-wal`] };
}

/** Writes `total` keys with `writers` concurrent loops (each awaits its own write). */
async function writeRate(store: Store, files: string[], prefix: string, total: number, writers: number) {
  const io0 = writeBytes();
  const size0 = fileBytes(files);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) {
        const i = next++;
        await store.create(`${prefix}${String(i).padStart(6, '0')}`, value(i));
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const io = writeBytes();
  return {
    writesPerSec: Math.round(total / secs),
    ioBytesPerWrite: io !== undefined && io0 !== undefined ? Math.round((io - io0) / total) : null,
    fileGrowthPerWrite: Math.round((fileBytes(files) - size0) / total),
  };
}

async function listLatency(store: Store): Promise<{ medianMs: number; p99Ms: number; historicalMedianMs: number }> {
  const current: number[] = [];
  const historical: number[] = [];
  const keys = (await store.list('/registry/pods/bench/', { keysOnly: true })).items.map((kv) => kv.key);
  const old = store.currentRevision();
  for (let i = 0; i < 2000; i++) await store.update(keys[i], value(i), (await store.get(keys[i]))!.modRevision);
  for (let i = 0; i < 300; i++) {
    const after = i % 3 === 0 ? undefined : keys[(i * 7919) % (keys.length - 500)];
    let t = performance.now();
    const page = await store.list('/registry/pods/', { limit: 500, after });
    current.push(performance.now() - t);
    if (page.items.length !== 500) throw new Error(`expected 500 items, got ${page.items.length}`);
    t = performance.now();
    await store.list('/registry/pods/', { limit: 500, after, revision: old });
    historical.push(performance.now() - t);
  }
  return { medianMs: round(median(current), 3), p99Ms: round(percentile(current, 99), 3), historicalMedianMs: round(median(historical), 3) };
}

async function watchLatency(store: Store, watchers: number, writes: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const ac = new AbortController();
  let pending = 0;
  let allDelivered: () => void = () => {};
  const start = store.currentRevision();
  const loops = Array.from({ length: watchers }, async () => {
    for await (const e of store.watch('/registry/configmaps/', start, { signal: ac.signal })) {
      if (e.type !== 'progress' && --pending === 0) allDelivered();
    }
  });
  const samples: number[] = [];
  for (let i = 0; i < writes; i++) {
    pending = watchers;
    const done = new Promise<void>((r) => (allDelivered = r));
    const t = performance.now();
    await store.create(`/registry/configmaps/bench/cm-${i}`, value(i));
    await done;
    samples.push(performance.now() - t);
  }
  ac.abort();
  await Promise.all(loops);
  return { p50Ms: round(median(samples), 3), p99Ms: round(percentile(samples, 99), 3) };
}

/** Idle node: only volatile lease renewals (node lease + two leader leases) every second. */
async function idleWrites(store: Store, files: string[], seconds: number) {
  const leases = await Promise.all(['node-1', 'kube-scheduler', 'kube-controller-manager'].map((n) => store.create(`${LEASES}kube-system/${n}`, `{"renewTime":0}`)));
  const ac = new AbortController();
  const watching = (async () => {
    for await (const _ of store.watch(LEASES, store.currentRevision(), { signal: ac.signal, progressIntervalMs: 5000 }));
  })();
  await sleep(200);
  const fp0 = fingerprint(files);
  const io0 = writeBytes();
  let renewals = 0;
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    for (let i = 0; i < leases.length; i++) {
      leases[i] = await store.update(leases[i].key, `{"renewTime":${Date.now()}}`, leases[i].modRevision);
      renewals++;
    }
    await store.list(LEASES);
  }
  const io = writeBytes();
  ac.abort();
  await watching;
  return { seconds, renewals, ioBytes: io !== undefined && io0 !== undefined ? io - io0 : null, filesUnchanged: fingerprint(files) === fp0 };
}

async function main(): Promise<void> {
  log(`store benchmark (sqlite, ${dir}), Node ${process.version}`);
  const a = await open('writes');
  const single = await writeRate(a.store, a.files, '/registry/pods/single/', 5000, 1);
  log(`writes, 1 writer (await each):      ${single.writesPerSec} /s, ${single.ioBytesPerWrite} B written per write`);
  const grouped = await writeRate(a.store, a.files, '/registry/pods/bench/', 50_000, 100);
  log(`writes, 100 concurrent (grouped):   ${grouped.writesPerSec} /s, ${grouped.ioBytesPerWrite} B written per write`);
  await a.store.close();

  const b = await open('list');
  await writeRate(b.store, b.files, '/registry/pods/bench/', 10_000, 100);
  const list = await listLatency(b.store);
  log(`list 500 of 10,000 keys:            median ${list.medianMs} ms, p99 ${list.p99Ms} ms (at an older revision: median ${list.historicalMedianMs} ms)`);
  const watch = await watchLatency(b.store, 1000, 300);
  log(`watch delivery to 1,000 watchers:   p50 ${watch.p50Ms} ms, p99 ${watch.p99Ms} ms (write start → last watcher)`);
  await b.store.close();

  const c = await open('idle');
  await writeRate(c.store, c.files, '/registry/pods/bench/', 1000, 10);
  await c.store.compact(c.store.currentRevision());
  log(`idle ${idleSeconds} s with 3 volatile lease renewals/s …`);
  const idle = await idleWrites(c.store, c.files, idleSeconds);
  log(`idle disk writes:                   ${idle.ioBytes} bytes in ${idle.seconds} s (${idle.renewals} lease renewals), db/wal files ${idle.filesUnchanged ? 'untouched' : 'CHANGED'}`);
  await c.store.close();
  rmSync(dir, { recursive: true, force: true });

  const result = {
    bench: 'store',
    driver: 'sqlite',
    node: process.version,
    writesPerSecSingle: single.writesPerSec,
    writesPerSecGrouped: grouped.writesPerSec,
    bytesPerWriteSingle: single.ioBytesPerWrite,
    bytesPerWriteGrouped: grouped.ioBytesPerWrite,
    fileGrowthPerWriteGrouped: grouped.fileGrowthPerWrite,
    listMedianMs: list.medianMs,
    listP99Ms: list.p99Ms,
    listHistoricalMedianMs: list.historicalMedianMs,
    watchP50Ms: watch.p50Ms,
    watchP99Ms: watch.p99Ms,
    idleSeconds: idle.seconds,
    idleBytes: idle.ioBytes,
    idleFilesUnchanged: idle.filesUnchanged,
    targets: {
      writesPerSecGrouped: grouped.writesPerSec >= 20_000,
      listMedianMs: list.medianMs <= 5,
      watchP99Ms: watch.p99Ms <= 20,
      idleBytes: idle.ioBytes === 0 && idle.filesUnchanged,
    },
  };
  log(JSON.stringify(result));
}

await main();
