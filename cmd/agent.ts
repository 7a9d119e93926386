import type { FlagValues } from './flags.ts';

// The node agent is not part of this build yet: fail loudly rather than pretend to join.
export async function run(_flags: FlagValues): Promise<number> {
  process.stderr.write('skiff agent: the node agent is not available in this build yet\n');
  return 1;
}
