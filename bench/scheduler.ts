// Scheduler benchmark: `npm run bench:scheduler`. The server's own parts in this process — the
// registry on the SQLite store (as `skiff server` opens it), the in-process client, the scheduler
// — with hollow nodes (Node objects and Leases, no containers). Pods are created first, then the
// scheduler starts and binds them all; pods bound per second is the figure. A second phase
// schedules pods with a hostname topology spread constraint and zone anti-affinity terms.
// Sizes: BENCH_NODES (1000), BENCH_PODS (10000), BENCH_SPREAD_PODS (2000).
// Human-readable lines, then one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inProcessClient, type Client } from '../pkg/api/client/index.ts';
import { createApiHandler } from '../pkg/api/registry/index.ts';
import { resources } from '../pkg/api/resources/index.ts';
import type { core, KObject } from '../pkg/api/types/index.ts';
import { controlLoops, type LoopFactory } from '../pkg/controllers/index.ts';
import { scheduler } from '../pkg/scheduler/index.ts';
import { openStore } from '../pkg/store/index.ts';
import { createLogger, silentLogger } from '../pkg/util/index.ts';
import { volatilePrefixes } from '../cmd/server.ts';
import { round } from './lib/measure.ts';

const env = (name: string, dflt: number): number => Number(process.env[name] ?? dflt);
const NODES = env('BENCH_NODES', 1000);
const PODS = env('BENCH_PODS', 10_000);
const SPREAD_PODS = env('BENCH_SPREAD_PODS', 2000);
const ZONES = 10;
const log = (line: string): void => void process.stdout.write(`${line}\n`);

/** Runs `n` calls of `fn` with at most `width` in flight. */
async function concurrently(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await fn(next++);
  }));
}

function hollowNode(i: number): KObject {
  const name = `hollow-${String(i).padStart(4, '0')}`;
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': `zone-${i % ZONES}` } },
    spec: { podCIDR: `10.${42 + (i >> 8)}.${i & 255}.0/24` },
    status: {
      capacity: { cpu: '8', memory: '32Gi', pods: '110' }, allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node' }],
    },
  };
}

function pod(ns: string, i: number, owner: string, spec: Partial<core.PodSpec> = {}, labels: Record<string, string> = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `p-${i}`, namespace: ns, labels: { app: owner, ...labels },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: `uid-${owner}`, controller: true }],
    },
    spec: { containers: [{ name: 'c', image: 'registry.invalid/hollow', resources: { requests: { cpu: '100m', memory: '128Mi' } } }], ...spec },
  };
}

/** Starts the scheduler over `client`, waits until `expected` pods of `ns` are bound; pods/s. */
async function schedule(client: Client, ns: string, expected: number): Promise<{ podsPerSecond: number; seconds: number; podsPerCpuSecond: number }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let allBound!: () => void;
  const done = new Promise<void>((r) => (allBound = r));
  // Counts bindings through the scheduler's own pods informer, as another controller would watch.
  const counter: LoopFactory = (_c, informers) => {
    const pods = informers.informer<KObject & core.Pod>('v1', 'pods');
    const bound = new Set<string>();
    const see = (p: KObject & core.Pod) => {
      if (p.metadata.namespace !== ns || !p.spec?.nodeName) return;
      bound.add(p.metadata.name!);
      if (bound.size >= expected) allBound();
    };
    return { name: 'bench-counter', start: async () => void (pods.onAdd(see), pods.onUpdate((_, p) => see(p))) };
  };
  const loops = controlLoops(() => client, [(c, inf, l) => scheduler(c, inf, l), counter], process.env.BENCH_DEBUG ? createLogger('debug') : silentLogger);
  await loops.start(new AbortController().signal);
  // In-process watches hold no handle of their own: keep the process up while waiting.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    await done;
  } finally {
    clearInterval(keepAlive);
    await loops.stop?.();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // Pods per second of this process's CPU time: what an idle machine would show as throughput
  // (the scheduler, the API and SQLite share one thread), much less sensitive to other load.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { podsPerSecond: round(expected / seconds, 0), seconds: round(seconds, 2), podsPerCpuSecond: round(expected / cpuSeconds, 0) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-sched-'));
  const store = await openStore(`sqlite:${join(dir, 'state.db')}`, { volatilePrefixes });
  try {
    const api = createApiHandler({ store, resources });
    const client = inProcessClient(api, resources);
    for (const name of ['default', 'kube-node-lease', 'plain', 'spread']) await client.resource('v1', 'namespaces').create(undefined, { metadata: { name } });
    let t = performance.now();
    await concurrently(NODES, 50, async (i) => {
      const n = hollowNode(i);
      await client.resource('v1', 'nodes').create(undefined, n);
      await client.resource('coordination.k8s.io/v1', 'leases').create('kube-node-lease', {
        metadata: { name: n.metadata.name }, spec: { holderIdentity: n.metadata.name, leaseDurationSeconds: 40, renewTime: new Date().toISOString() },
      });
    });
    log(`${NODES} hollow nodes with leases created in ${round(performance.now() - t, 0)} ms`);

    t = performance.now();
    // Pods of 100 ReplicaSets, so the controller-spread score has siblings to count.
    await concurrently(PODS, 50, (i) => client.resource('v1', 'pods').create('plain', pod('plain', i, `rs-${i % 100}`)));
    log(`${PODS} pending pods created in ${round(performance.now() - t, 0)} ms`);
    const plain = await schedule(client, 'plain', PODS);
    log(`plain pods: ${PODS} bound in ${plain.seconds} s → ${plain.podsPerSecond} pods/s (${plain.podsPerCpuSecond} per CPU-second)`);

    const constrained = (i: number) => {
      const group = `web-${i % 20}`;
      return pod('spread', i, group, {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: group } } }],
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: group } } } }] } },
      });
    };
    let spread = { podsPerSecond: 0, seconds: 0, podsPerCpuSecond: 0 };
    if (SPREAD_PODS > 0) {
      await concurrently(SPREAD_PODS, 50, (i) => client.resource('v1', 'pods').create('spread', constrained(i)));
      spread = await schedule(client, 'spread', SPREAD_PODS);
      log(`spread + preferred anti-affinity pods: ${SPREAD_PODS} bound in ${spread.seconds} s → ${spread.podsPerSecond} pods/s (${spread.podsPerCpuSecond} per CPU-second)`);
    }
    log(`target ≥ 1000 pods/s for plain pods: ${plain.podsPerSecond >= 1000 ? 'met' : 'not met'} (per CPU-second: ${plain.podsPerCpuSecond >= 1000 ? 'met' : 'not met'}; the wall figure needs an otherwise idle machine)`);
    log(JSON.stringify({
      bench: 'scheduler', nodes: NODES, pods: PODS, podsPerSecond: plain.podsPerSecond, podsPerCpuSecond: plain.podsPerCpuSecond, seconds: plain.seconds,
      spreadPods: SPREAD_PODS, spreadPodsPerSecond: spread.podsPerSecond, spreadPodsPerCpuSecond: spread.podsPerCpuSecond,
    }));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
