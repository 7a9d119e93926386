// npm run bench:pods — pods on the real Docker engine through a real `skiff server` (with its own
// agent), beside raw Docker in the same run: pod create → Running p50/p99 against docker
// create+start; 0 → 60 replicas all Running; a killed container running again. Last line JSON.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpsClient, type Client } from '../pkg/api/client/index.ts';
import { nodeNetwork } from '../pkg/agent/agent.ts';
import { DockerRuntime } from '../pkg/agent/runtime/index.ts';
import type { core, KObject } from '../pkg/api/types/index.ts';
import { startServer } from './api-server.ts';
import { percentile, round, sleep } from './lib/measure.ts';

type Pod = core.Pod & KObject;
const image = 'skiff-test/busybox:latest';
const samples = Number(process.env.BENCH_POD_SAMPLES ?? 20);
const replicas = Number(process.env.BENCH_REPLICAS ?? 60);
const node = `bench-${randomBytes(3).toString('hex')}`;
const rt = new DockerRuntime();

async function rawDocker(): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const id = await rt.createContainer({ name: `skiff-bench-raw-${node}-${i}`, image, entrypoint: ['sleep', '1000'], labels: { 'skiff.io/bench': node }, network: { kind: 'host' } });
    await rt.startContainer(id);
    out.push(performance.now() - t0);
    await rt.removeContainer(id);
  }
  return out;
}

async function waitFor<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000}s`);
    await sleep(20);
  }
}

const podSpec = (name: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '1000'] }] },
});

async function podToRunning(client: Client): Promise<number[]> {
  const pods = client.resource<Pod>('v1', 'pods');
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const name = `single-${i}`;
    const t0 = performance.now();
    await pods.create('default', podSpec(name));
    await waitFor(name, () => pods.get('default', name), (p) => p.status?.phase === 'Running');
    out.push(performance.now() - t0);
    await pods.delete('default', name, { gracePeriodSeconds: 0 });
  }
  return out;
}

async function scaleOut(client: Client): Promise<number> {
  const t0 = performance.now();
  await client.resource('apps/v1', 'replicasets').create('default', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'fleet' },
    spec: { replicas, selector: { matchLabels: { app: 'fleet' } }, template: { metadata: { labels: { app: 'fleet' } }, spec: podSpec('x').spec } },
  } as KObject);
  await waitFor(`${replicas} replicas Running`, () => client.resource<Pod>('v1', 'pods').list('default', { labelSelector: 'app=fleet' }),
    (l) => l.items.filter((p) => p.status?.phase === 'Running').length >= replicas, 300_000);
  return performance.now() - t0;
}

async function killedRunsAgain(client: Client): Promise<number> {
  const pods = client.resource<Pod>('v1', 'pods');
  await pods.create('default', podSpec('victim'));
  const p = await waitFor('victim running', () => pods.get('default', 'victim'), (x) => x.status?.phase === 'Running');
  const id = p.status!.containerStatuses![0]!.containerID!.replace('docker://', '');
  const t0 = performance.now();
  await rt.stopContainer(id, 0);
  await waitFor('victim restarted', () => pods.get('default', 'victim'), (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && !!x.status?.containerStatuses?.[0]?.state?.running);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-pods-'));
  const cidr = `10.${150 + (randomBytes(1)[0]! % 40)}.0.0/16`;
  const server = await startServer(dir, { agent: true, args: ['--node-name', node, '--cluster-cidr', cidr] });
  const client = httpsClient({ kubeconfig: join(dir, 'kc') });
  try {
    await waitFor('node Ready', () => client.resource<core.Node & KObject>('v1', 'nodes').get(undefined, node).catch(() => undefined),
      (n) => !!n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    const raw = await rawDocker();
    const viaSkiff = await podToRunning(client);
    const p50 = (xs: number[]) => round(percentile(xs, 50), 1);
    const p99 = (xs: number[]) => round(percentile(xs, 99), 1);
    console.log(`docker create+start: p50 ${p50(raw)} ms, p99 ${p99(raw)} ms (${samples} samples)`);
    console.log(`pod create → Running: p50 ${p50(viaSkiff)} ms, p99 ${p99(viaSkiff)} ms; ratio to docker p50 ${round(p50(viaSkiff) / p50(raw), 2)}x`);
    const scaleMs = await scaleOut(client);
    console.log(`0 → ${replicas} replicas Running: ${round(scaleMs / 1000, 2)} s`);
    const restartMs = await killedRunsAgain(client);
    console.log(`killed container running again: ${round(restartMs, 0)} ms`);
    console.log(JSON.stringify({
      dockerCreateStartP50Ms: p50(raw), dockerCreateStartP99Ms: p99(raw), podRunningP50Ms: p50(viaSkiff), podRunningP99Ms: p99(viaSkiff),
      ratioP50: round(p50(viaSkiff) / p50(raw), 2), replicas, replicasRunningMs: round(scaleMs, 0), restartMs: round(restartMs, 0), samples,
    }));
  } finally {
    client.close();
    await server.stop();
    for (const c of [...await rt.listContainers({ 'skiff.io/node': node }), ...await rt.listContainers({ 'skiff.io/bench': node })]) await rt.removeContainer(c.id);
    await rt.removeNetwork(nodeNetwork(node).name);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
