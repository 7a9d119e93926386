import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { builtBinary } from '../build/binary.ts';
import { startServer, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

/**
 * A server with its own agent (node `local`) and a second `skiff agent` process (node `remote`)
 * that reaches the API only through its own tunnel, each with unique names and pod CIDR.
 */
export interface StreamingCluster {
  s: TestServer;
  local: string;
  remote: string;
  agent: ChildProcess;
  stop(): Promise<void>;
}

export const image = 'skiff-test/busybox:latest';

export async function startCluster(prefix: string): Promise<StreamingCluster> {
  const run = randomBytes(3).toString('hex');
  const local = `${prefix}-a-${run}`;
  const remote = `${prefix}-b-${run}`;
  const cidr = `10.${150 + (randomBytes(1)[0]! % 50)}.0.0/16`;
  const s = await startServer(['--node-name', local, '--cluster-cidr', cidr], { agent: true });
  const bin = await builtBinary();
  const agent = spawn(bin, ['agent', '--kubeconfig', s.kubeconfig, '--disable-ingress', '--node-name', remote, '--data-dir', join(s.dir, remote), '--log-level', 'debug'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let agentLog = '';
  agent.stderr!.on('data', (d) => (agentLog += d));
  return {
    s, local, remote, agent,
    async stop() {
      if (agent.exitCode === null) {
        agent.kill('SIGTERM');
        await new Promise((r) => agent.on('exit', r));
      }
      if (process.env.SKIFF_TEST_KEEP_LOGS) process.stderr.write(agentLog);
      await s.stop();
      for (const n of [local, remote]) await removeNodeLeftovers(n);
    },
  };
}

export async function until<T>(s: TestServer, what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await get();
  while (!ok(v)) {
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last: ${JSON.stringify(v)}\n${s.logs().split('\n').slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
    v = await get();
  }
  return v;
}

/** A pod pinned to `node`; `containers` is the YAML list under spec.containers. */
export function podYaml(name: string, node: string, containers: string, extra = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: default}\nspec:\n  nodeName: ${node}\n  terminationGracePeriodSeconds: 1\n${extra}  containers:\n${containers}`;
}

export function containerYaml(name: string, command: string, extra = ''): string {
  return `  - name: ${name}\n    image: ${image}\n    imagePullPolicy: IfNotPresent\n    command: [sh, -c, ${JSON.stringify(command)}]\n${extra}`;
}

export async function runningPod(s: TestServer, name: string, yaml: string): Promise<void> {
  const applied = s.kubectl(['apply', '-f', '-'], { input: yaml });
  if (applied.code !== 0) throw new Error(applied.stderr);
  await until(s, `${name} Running`, () => s.kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}/{.status.containerStatuses[*].ready}']).stdout, (v) => /^Running\/true( true)*$/.test(v));
}
