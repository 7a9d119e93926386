import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { nodeNetwork } from './agent.ts';
import { nodeLabel } from './pod/labels.ts';
import { Iptables } from './proxy/index.ts';
import type { ContainerRuntime } from './runtime/index.ts';

export interface KillallReport {
  containers: number;
  networks: number;
  mounts: number;
  /** iptables chains of the service proxy. */
  chains: number;
}

/**
 * Removes everything skiff's agents made on this machine (k3s-killall.sh's job): every container
 * and network labelled `skiff.io/node` (or only those of one node), and the tmpfs mounts of pod
 * volumes under `podsDir`, and the service proxy's iptables chains (every `SKIFF-` chain and the
 * built-in chains' jumps to them, or only the node's). Run it with skiff stopped: a running agent recreates its pods.
 */
export async function killall(rt: ContainerRuntime, opts: { node?: string; podsDir?: string; iptables?: Iptables }): Promise<KillallReport> {
  const label = opts.node ? { [nodeLabel]: opts.node } : { [nodeLabel]: '' };
  const containers = await rt.listContainers(label);
  await Promise.all(containers.map((c) => rt.removeContainer(c.id)));
  const networks = await rt.listNetworks(label);
  for (const n of networks) await rt.removeNetwork(n);
  let mounts = 0;
  if (opts.podsDir) {
    const under = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${opts.podsDir}/`));
    for (const m of under.sort().reverse()) {
      execFileSync('umount', ['-l', m], { stdio: 'pipe' });
      mounts++;
    }
  }
  const ipt = opts.iptables ?? new Iptables();
  const tag = opts.node ? nodeNetwork(opts.node).bridge.replace(/^skiff/, '') : undefined;
  const chains = (await ipt.available()) ? await ipt.removeChains((t) => tag === undefined || t === tag) : 0;
  return { containers: containers.length, networks: networks.length, mounts, chains };
}
