// API benchmark: `npm run bench:api`. A real `skiff server` process over HTTPS (the single
// executable, rebuilt when stale; SKIFF_BENCH_SOURCE=1 runs cmd/skiff.ts under tsx instead).
// Human-readable lines, then one JSON line. Sizes: BENCH_CREATES (5000), BENCH_PODS (10000),
// BENCH_WATCHERS (1000), BENCH_WATCH_UPDATES (200), BENCH_WATCH_INTERVAL_MS (50).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent } from 'node:https';
import { agentFor, concurrently, configMap, expect, pod } from './api-http.ts';
import { cpuMs, memoryMiB, startServer, tail, type Endpoint, type ServerProcess } from './api-server.ts';
import { watchBench } from './api-watch.ts';
import { median, round, sleep } from './lib/measure.ts';

const env = (name: string, dflt: number): number => Number(process.env[name] ?? dflt);
const CREATES = env('BENCH_CREATES', 5000);
const PODS = env('BENCH_PODS', 10_000);
const WATCHERS = env('BENCH_WATCHERS', 1000);
const UPDATES = env('BENCH_WATCH_UPDATES', 200);
const INTERVAL_MS = env('BENCH_WATCH_INTERVAL_MS', 50);
const CLIENTS = 50;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const mib = (x: number): number => round(x, 1);

async function namespace(e: Endpoint, agent: Agent, name: string): Promise<void> {
  await expect(e, agent, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Wall time of `fn`, `runs` times (after one untimed warm-up), median in ms. */
async function timed(runs: number, fn: () => Promise<void>): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return round(median(ms), 1);
}

async function listBench(e: Endpoint, agent: Agent, ns: string, expected: number) {
  const path = `/api/v1/namespaces/${ns}/pods`;
  let bytes = 0;
  const full = await timed(5, async () => {
    const r = await expect(e, agent, 'GET', path);
    bytes = r.body.length;
    const n = (JSON.parse(r.body) as { items: unknown[] }).items.length;
    if (n !== expected) throw new Error(`list returned ${n} pods, expected ${expected}`);
  });
  let pages = 0;
  const paged = await timed(3, async () => {
    let token = '';
    let n = 0;
    pages = 0;
    do {
      const r = await expect(e, agent, 'GET', `${path}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      const list = JSON.parse(r.body) as { items: unknown[]; metadata: { continue?: string } };
      n += list.items.length;
      pages++;
      token = list.metadata.continue ?? '';
    } while (token);
    if (n !== expected) throw new Error(`paged list returned ${n} pods, expected ${expected}`);
  });
  const table = await timed(3, async () => {
    const r = await expect(e, agent, 'GET', path, undefined, { Accept: `${TABLE}, application/json` });
    const rows = (JSON.parse(r.body) as { kind: string; rows?: unknown[] }).rows?.length;
    if (rows !== expected) throw new Error(`Table list returned ${rows} rows, expected ${expected}`);
  });
  return { full, paged, pages, table, bytes };
}

async function main(server: ServerProcess): Promise<void> {
  const e = server.endpoint;
  log(`skiff server ready in ${round(server.readyMs, 0)} ms (pid ${server.pid}: ${server.command})`);
  await sleep(500);
  const idle = memoryMiB(server.pid);
  log(`server RSS idle:                    ${mib(idle.rss)} MiB`);

  const agent = agentFor(e, CLIENTS);
  await Promise.all(['bench-cm', 'bench-pods', 'bench-watch'].map((n) => namespace(e, agent, n)));
  const cmRate = await concurrently(CREATES, CLIENTS, (i) => expect(e, agent, 'POST', '/api/v1/namespaces/bench-cm/configmaps', configMap('bench-cm', `cm-${i}`)));
  log(`ConfigMap creates, ${CLIENTS} clients:       ${Math.round(cmRate)} /s (${CREATES} objects)`);
  const podRate = await concurrently(PODS, CLIENTS, (i) => expect(e, agent, 'POST', '/api/v1/namespaces/bench-pods/pods', pod('bench-pods', `pod-${i}`)));
  log(`Pod creates, ${CLIENTS} clients:             ${Math.round(podRate)} /s (${PODS} objects)`);
  const loaded = memoryMiB(server.pid);
  log(`server RSS with ${PODS} pods:          ${mib(loaded.rss)} MiB (+${CREATES} configmaps)`);

  const list = await listBench(e, agent, 'bench-pods', PODS);
  log(`list ${PODS} pods (JSON, ${mib(list.bytes / 2 ** 20)} MiB):    median ${list.full} ms`);
  log(`list ${PODS} pods, limit=500:         median ${list.paged} ms total (${list.pages} pages)`);
  log(`list ${PODS} pods as Table:           median ${list.table} ms`);
  agent.destroy();
  const listed = memoryMiB(server.pid);
  log(`server RSS after lists:             ${mib(listed.rss)} MiB, peak (VmHWM) ${mib(listed.hwm)} MiB`);

  let open = { rss: NaN, hwm: NaN };
  let cpu0 = { server: 0, client: 0 };
  const cpu = () => ({ server: cpuMs(server.pid), client: (process.cpuUsage().user + process.cpuUsage().system) / 1000 });
  const cpuStart = cpu();
  const w = await watchBench(e, 'bench-watch', WATCHERS, UPDATES, INTERVAL_MS, () => {
    open = memoryMiB(server.pid);
    cpu0 = cpu();
  });
  const cpu1 = cpu();
  const perUpdate = (k: 'server' | 'client') => round((cpu1[k] - cpu0[k]) / UPDATES, 1);
  log(`watch: ${w.watchers} streams open in ${w.connectMs} ms (server CPU ${Math.round(cpu0.server - cpuStart.server)} ms, client ${Math.round(cpu0.client - cpuStart.client)} ms), server RSS then ${mib(open.rss)} MiB`);
  log(`watch: ${w.updates} updates, one per ${INTERVAL_MS} ms`);
  log(`watch CPU per update (fan-out to ${w.watchers}): server ${perUpdate('server')} ms, this client ${perUpdate('client')} ms`);
  log(`watch delivery to ${w.watchers} watchers:   p50 ${w.p50Ms} ms, p99 ${w.p99Ms} ms, max ${w.maxMs} ms (patch sent → event parsed); last watcher p99 ${w.allDeliveredP99Ms} ms`);
  const after = memoryMiB(server.pid);
  log(`server RSS after watch:             ${mib(after.rss)} MiB, peak (VmHWM) ${mib(after.hwm)} MiB`);
  if (w.lost || w.duplicates || w.endedEarly || w.errors.length) {
    throw new Error(`watch delivery FAILED: ${w.lost} events lost, ${w.duplicates} duplicates, ${w.endedEarly} streams ended early; errors: ${w.errors.join('; ') || 'none'}`);
  }
  log(`watch: all ${w.watchers * w.updates} events delivered exactly once`);
  if (server.exited()) throw new Error(`skiff server died during the run (${server.exited()})`);

  log(JSON.stringify({
    bench: 'api',
    node: process.version,
    readyMs: round(server.readyMs, 0),
    createsPerSec: Math.round(cmRate),
    podCreatesPerSec: Math.round(podRate),
    clients: CLIENTS,
    list10kMs: list.full,
    list10kPagedMs: list.paged,
    list10kTableMs: list.table,
    listBytes: list.bytes,
    watchers: w.watchers,
    watchUpdates: w.updates,
    watchConnectMs: w.connectMs,
    watchP50Ms: w.p50Ms,
    watchP99Ms: w.p99Ms,
    watchMaxMs: w.maxMs,
    watchAllDeliveredP99Ms: w.allDeliveredP99Ms,
    watchLost: w.lost,
    watchServerCpuMsPerUpdate: perUpdate('server'),
    rssIdleMiB: mib(idle.rss),
    rss10kMiB: mib(loaded.rss),
    rssAfterListMiB: mib(listed.rss),
    rssWatchersOpenMiB: mib(open.rss),
    rssAfterWatchMiB: mib(after.rss),
    hwmMiB: mib(after.hwm),
  }));
}

const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-api-'));
let server: ServerProcess | undefined;
let code = 0;
const onSignal = (): void => void cleanup().then(() => process.exit(130));
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

async function cleanup(): Promise<void> {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}

try {
  log(`API benchmark (${dir}), Node ${process.version}`);
  server = await startServer(dir);
  await main(server);
} catch (err) {
  code = 1;
  process.stderr.write(`bench:api failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  await sleep(100); // lets a dead server's exit event arrive before we ask
  if (server?.exited()) process.stderr.write(`skiff server is gone (${server.exited()})\n`);
  if (server) process.stderr.write(`server log (last lines):\n${tail(server.logFile)}\n`);
} finally {
  await cleanup();
}
process.exit(code);
