import { join } from 'node:path';
import type { FlagValues } from './flags.ts';
import { killall } from '../pkg/agent/killall.ts';
import { DockerRuntime } from '../pkg/agent/runtime/index.ts';

export async function run(flags: FlagValues): Promise<number> {
  const rt = new DockerRuntime();
  await rt.ping();
  const r = await killall(rt, { node: flags['node-name'] as string | undefined, podsDir: join(flags['data-dir'] as string, 'agent', 'pods') });
  process.stdout.write(`removed ${r.containers} containers, ${r.networks} networks, ${r.mounts} mounts, ${r.chains} iptables chains\n`);
  return 0;
}
