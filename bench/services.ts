// npm run bench:services — HTTP through a service's cluster IP (the node proxy's iptables DNAT)
// against straight to the pod's IP, in one run, from the host: a real `skiff server` with its own
// agent runs one busybox httpd pod behind a ClusterIP service. Each request is a new connection
// (busybox httpd closes after each answer), so every one goes through the NAT's connection setup.
// Sequential latency p50/p99 and throughput with concurrent clients; the ratios. Last line JSON.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpsClient, type Client } from '../pkg/api/client/index.ts';
import { nodeNetwork } from '../pkg/agent/agent.ts';
import { Iptables } from '../pkg/agent/proxy/index.ts';
import { DockerRuntime } from '../pkg/agent/runtime/index.ts';
import type { core, KObject } from '../pkg/api/types/index.ts';
import { startServer } from './api-server.ts';
import { concurrently } from './api-http.ts';
import { percentile, round, sleep } from './lib/measure.ts';

type Pod = core.Pod & KObject;
type Service = core.Service & KObject;
const image = 'skiff-test/busybox:latest';
const samples = Number(process.env.BENCH_SVC_SAMPLES ?? 500);
const total = Number(process.env.BENCH_SVC_REQUESTS ?? 2000);
const workers = Number(process.env.BENCH_SVC_WORKERS ?? 16);
const node = `bench-svc-${randomBytes(3).toString('hex')}`;
const rt = new DockerRuntime();

function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000}s`);
    await sleep(50);
  }
}

/** Sequential requests to both targets, interleaved (alternating which goes first) so drift in the machine's load hits both alike. */
async function latencies(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  const out: [number[], number[]] = [[], []];
  const time = async (fn: () => Promise<unknown>, into: number[]) => {
    const t0 = performance.now();
    await fn();
    into.push(performance.now() - t0);
  };
  for (let i = 0; i < samples; i++) {
    if (i % 2) await time(a, out[0]).then(() => time(b, out[1]));
    else await time(b, out[1]).then(() => time(a, out[0]));
  }
  return out;
}

/** Requests per second of each target, over alternating rounds. */
async function throughputs(a: () => Promise<unknown>, b: () => Promise<unknown>, rounds = 4): Promise<[number, number]> {
  const secs = [0, 0];
  const per = Math.ceil(total / rounds);
  for (let r = 0; r < rounds; r++) {
    for (const [i, fn] of (r % 2 ? [[0, a], [1, b]] : [[1, b], [0, a]]) as [number, () => Promise<unknown>][]) secs[i] += per / (await concurrently(per, workers, fn));
  }
  return [(per * rounds) / secs[0]!, (per * rounds) / secs[1]!];
}

async function deploy(client: Client): Promise<{ podIP: string; clusterIP: string }> {
  await client.resource<Pod>('v1', 'pods').create('default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'httpd', image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www'], readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 } }] },
  });
  const svc = await client.resource<Service>('v1', 'services').create('default', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  const pod = await waitFor('pod ready', () => client.resource<Pod>('v1', 'pods').get('default', 'web'), (p) => !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  const clusterIP = svc.spec!.clusterIP!;
  await waitFor('service answers', () => get(clusterIP, 80), (b) => b === 'ok\n');
  return { podIP: pod.status!.podIP!, clusterIP };
}

async function main(): Promise<void> {
  if (!(await new Iptables().available())) throw new Error('this benchmark measures the iptables proxy: iptables must run here (as root)');
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-svc-'));
  const b = randomBytes(3);
  const cidr = `10.${150 + (b[0]! % 40)}.0.0/16`;
  const serviceCidr = `10.${250 + (b[1]! % 6)}.${b[2]!}.0/24`;
  const server = await startServer(dir, { agent: true, args: ['--node-name', node, '--cluster-cidr', cidr, '--service-cidr', serviceCidr, '--proxy-mode', 'iptables'] });
  const client = httpsClient({ kubeconfig: join(dir, 'kc') });
  try {
    const { podIP, clusterIP } = await deploy(client);
    // Warm both paths (ARP, page cache of httpd) before measuring.
    for (let i = 0; i < 100; i++) await Promise.all([get(podIP, 8080), get(clusterIP, 80)]);
    const toPod = () => get(podIP, 8080);
    const toService = () => get(clusterIP, 80);
    const [direct, viaService] = await latencies(toPod, toService);
    const [directRps, serviceRps] = await throughputs(toPod, toService);
    const p = (xs: number[], q: number) => round(percentile(xs, q), 3);
    console.log(`pod IP      : p50 ${p(direct, 50)} ms, p99 ${p(direct, 99)} ms (${samples} sequential, interleaved); ${round(directRps, 0)} req/s (${total} requests, ${workers} clients)`);
    console.log(`cluster IP  : p50 ${p(viaService, 50)} ms, p99 ${p(viaService, 99)} ms (${samples} sequential, interleaved); ${round(serviceRps, 0)} req/s (${total} requests, ${workers} clients)`);
    const latencyRatio = round(percentile(viaService, 50) / percentile(direct, 50), 2);
    const throughputRatio = round(serviceRps / directRps, 2);
    console.log(`cluster IP / pod IP: latency p50 ${latencyRatio}x, throughput ${throughputRatio}x`);
    console.log(JSON.stringify({
      podP50Ms: p(direct, 50), podP99Ms: p(direct, 99), serviceP50Ms: p(viaService, 50), serviceP99Ms: p(viaService, 99),
      podRps: round(directRps, 0), serviceRps: round(serviceRps, 0), latencyRatioP50: latencyRatio, throughputRatio, samples, requests: total, workers,
    }));
  } finally {
    client.close();
    await server.stop();
    for (const c of await rt.listContainers({ 'skiff.io/node': node })) await rt.removeContainer(c.id);
    await rt.removeNetwork(nodeNetwork(node).name);
    const tag = nodeNetwork(node).bridge.replace(/^skiff/, '');
    await new Iptables().removeChains((t) => t === tag);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
