import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { nodeNetwork } from '../../pkg/agent/agent.ts';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import { builtBinary } from '../build/binary.ts';
import type { TestServer } from './harness.ts';

// Test nodes on this machine's Docker engine: `skiff agent` processes joined to a test server,
// and what a test's nodes leave behind.

const rt = new DockerRuntime();

/**
 * What a test's node leaves on the Docker engine after its server stopped: stopping an agent
 * leaves its pods running (a restarted agent adopts them), so they are removed by the node label,
 * then the node's pod network. `killall` also runs `skiff killall` for the node, for tests whose
 * node wrote kernel rules (service proxy chains).
 */
export async function removeNodeLeftovers(node: string, opts: { killall?: boolean } = {}): Promise<void> {
  for (const c of await rt.listContainers({ 'skiff.io/node': node })) await rt.removeContainer(c.id);
  await rt.removeNetwork(nodeNetwork(node).name);
  if (opts.killall) spawnSync(await builtBinary(), ['killall', '--node-name', node, '--data-dir', '/nonexistent-skiff-e2e']);
}

export interface JoinedAgents {
  /** SIGTERM to every agent; resolves when all have exited. */
  stop(): Promise<void>;
}

/**
 * One `skiff agent` per name, joined to `s` with its admin kubeconfig, each with its own data dir
 * under the server's and without an ingress proxy (host ports would be shared by every test).
 */
export async function joinAgents(s: TestServer, nodes: string[], extraArgs: string[] = ['--log-level', 'debug']): Promise<JoinedAgents> {
  const bin = await builtBinary();
  const agents: ChildProcess[] = nodes.map((n) => {
    const child = spawn(bin, ['agent', '--kubeconfig', s.kubeconfig, '--disable-ingress', '--node-name', n, '--data-dir', join(s.dir, n), ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', () => {});
    return child;
  });
  return {
    async stop() {
      for (const a of agents) a.kill('SIGTERM');
      await Promise.all(agents.map((a) => (a.exitCode !== null ? undefined : new Promise((r) => a.on('exit', r)))));
    },
  };
}
