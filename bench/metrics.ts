// npm run bench:metrics — what the agent's usage sampling costs on a busy node: N running app
// containers (default 30) on the real Docker engine, sampled as the agent does every 15 s; per
// round the wall time, this process's CPU time and the Docker daemon's CPU time, and the share
// of one core that makes at the 15 s interval. Last line JSON.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { metricsCollector } from '../pkg/agent/metrics/index.ts';
import { containerLabels } from '../pkg/agent/pod/labels.ts';
import { DockerRuntime } from '../pkg/agent/runtime/index.ts';
import { silentLogger } from '../pkg/util/index.ts';
import { median, percentile, round } from './lib/measure.ts';

const image = 'skiff-test/busybox:latest';
const count = Number(process.env.BENCH_CONTAINERS ?? 30);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const intervalMs = 15_000;
const node = `bench-m-${randomBytes(3).toString('hex')}`;
const rt = new DockerRuntime();

/** CPU seconds (user + system) of a process from /proc/<pid>/stat; undefined when unreadable. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function dockerdPid(): number | undefined {
  try {
    return Number(execFileSync('pgrep', ['-xo', 'dockerd'], { encoding: 'utf8' }).trim()) || undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const ids: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const pod = { uid: `${node}-uid-${i}`, name: `p${i}`, namespace: 'bench' };
      const id = await rt.createContainer({
        name: `skiff-bench-${node}-${i}`, image, entrypoint: ['sleep', '3600'], network: { kind: 'host' },
        labels: containerLabels(node, pod, 'app', { name: 'c', restartCount: 0, specHash: 'bench' }),
      });
      await rt.startContainer(id);
      ids.push(id);
    }
    const collector = metricsCollector({ runtime: rt, nodeName: node, log: silentLogger });
    const dockerd = dockerdPid();
    const wall: number[] = [];
    const own: number[] = [];
    const daemon: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const c0 = process.cpuUsage();
      const d0 = dockerd ? cpuSeconds(dockerd) : undefined;
      const t0 = performance.now();
      await collector.sample();
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      own.push((c.user + c.system) / 1000);
      const d1 = dockerd ? cpuSeconds(dockerd) : undefined;
      if (d0 !== undefined && d1 !== undefined) daemon.push((d1 - d0) * 1000);
    }
    const pods = collector.summary().pods.length;
    const ownMs = median(own);
    const daemonMs = daemon.length ? median(daemon) : NaN;
    const share = (ownMs + (Number.isNaN(daemonMs) ? 0 : daemonMs)) / intervalMs;
    console.log(`containers sampled per round:      ${count} (pods with rates after ${rounds} rounds: ${pods})`);
    console.log(`round wall time p50 / p99:         ${round(median(wall))} / ${round(percentile(wall, 99))} ms`);
    console.log(`agent CPU per round p50:           ${round(ownMs)} ms`);
    console.log(`dockerd CPU per round p50:         ${Number.isNaN(daemonMs) ? 'n/a' : `${round(daemonMs)} ms`} (10 ms ticks; includes any other client of the engine meanwhile)`);
    console.log(`share of one core at a 15 s interval: ${round(share * 100, 2)} %`);
    console.log(JSON.stringify({ bench: 'metrics', containers: count, rounds, podsWithRates: pods, wallP50Ms: round(median(wall)), wallP99Ms: round(percentile(wall, 99)), agentCpuMsP50: round(ownMs), dockerdCpuMsP50: Number.isNaN(daemonMs) ? null : round(daemonMs), coreSharePercent: round(share * 100, 2) }));
  } finally {
    for (const id of ids) await rt.removeContainer(id).catch(() => undefined);
  }
}

await main();
