import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { builtBinary, repoRoot } from '../test/build/binary.ts';
import { agentFor, call } from './api-http.ts';
import { sleep } from './lib/measure.ts';

/** Where a running server is reached and who we are to it (the admin identity of its kubeconfig). */
export interface Endpoint {
  host: string;
  port: number;
  ca: string;
  cert: string;
  key: string;
}

/** A `skiff server` child process; `stop()` is idempotent and never throws. */
export interface ServerProcess {
  pid: number;
  endpoint: Endpoint;
  /** spawn → first 200 from /readyz. */
  readyMs: number;
  logFile: string;
  /** How the server was run (binary path, or the tsx source fallback). */
  command: string;
  stop(): Promise<void>;
  /** How the process ended ('exit 1', 'SIGKILL'), undefined while it runs. */
  exited(): string | undefined;
}

/**
 * Starts `skiff server` as its own process (so /proc/<pid> is the server alone) from the single
 * executable, built when stale. `SKIFF_BENCH_SOURCE=1` runs cmd/skiff.ts under tsx instead: then
 * the pid is still the server's node process because tsx is started through node directly, and
 * SKIFF_BENCH_NODE_ARGS adds node flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
export async function startServer(dataDir: string, opts: { agent?: boolean; args?: string[] } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const kcPath = join(dataDir, 'kc');
  const args = ['server', '--data-dir', join(dataDir, 'data'), '--https-listen-port', String(port), '--bind-address', '127.0.0.1', '--write-kubeconfig', kcPath, ...(opts.agent ? [] : ['--disable-agent']), ...(opts.args ?? [])];
  let file: string;
  let argv: string[];
  if (process.env.SKIFF_BENCH_SOURCE === '1') {
    file = process.execPath;
    const nodeArgs = process.env.SKIFF_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    argv = [...nodeArgs, '--import', 'tsx', join(repoRoot, 'cmd/skiff.ts'), ...args];
  } else {
    file = await builtBinary();
    argv = args;
  }
  const logFile = join(dataDir, 'server.log');
  const out = openSync(logFile, 'a');
  const t0 = performance.now();
  const child = spawn(file, argv, { cwd: repoRoot, stdio: ['ignore', out, out] });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = () => stopChild(child, exit);
  try {
    const endpoint = await waitReady(child, kcPath, logFile);
    return { pid: child.pid!, endpoint, readyMs: performance.now() - t0, logFile, command: [file, ...argv].join(' '), stop, exited: () => child.signalCode ?? (child.exitCode !== null ? `exit ${child.exitCode}` : undefined) };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function stopChild(child: ChildProcess, exit: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await exit;
  }
}

/** Polls for the kubeconfig (written once the port listens), then /readyz with its credentials. */
async function waitReady(child: ChildProcess, kcPath: string, logFile: string): Promise<Endpoint> {
  const deadline = performance.now() + 60_000;
  let endpoint: Endpoint | undefined;
  let agent: Agent | undefined;
  try {
    while (performance.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`skiff server exited (${child.exitCode ?? child.signalCode}) before ready; log:\n${tail(logFile)}`);
      endpoint ??= readKubeconfig(kcPath);
      if (endpoint && (await readyz(endpoint, (agent ??= agentFor(endpoint, 1))))) return endpoint;
      await sleep(5);
    }
  } finally {
    agent?.destroy();
  }
  throw new Error(`skiff server not ready after 60 s; log:\n${tail(logFile)}`);
}

async function readyz(e: Endpoint, agent: Agent): Promise<boolean> {
  try {
    return (await call(e, agent, 'GET', '/readyz')).status === 200;
  } catch {
    return false; // not listening yet, or a half-written kubeconfig
  }
}

/** The admin kubeconfig skiff wrote, or undefined while it is absent or half-written. */
function readKubeconfig(path: string): Endpoint | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const kc = load(readFileSync(path, 'utf8')) as {
      clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
      users: Array<{ user: { 'client-certificate-data': string; 'client-key-data': string } }>;
    };
    const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    const url = new URL(kc.clusters[0].cluster.server);
    return {
      host: url.hostname,
      port: Number(url.port),
      ca: b64(kc.clusters[0].cluster['certificate-authority-data']),
      cert: b64(kc.users[0].user['client-certificate-data']),
      key: b64(kc.users[0].user['client-key-data']),
    };
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** VmRSS and VmHWM (peak) of a process, in MiB. */
export function memoryMiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** CPU time (user + system) a process has used so far, in ms (/proc/<pid>/stat at USER_HZ = 100). */
export function cpuMs(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
