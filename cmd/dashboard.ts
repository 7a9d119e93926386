import type { FlagValues } from './flags.ts';

// The dashboard is not part of this build yet: fail loudly rather than show an empty screen.
export async function run(_flags: FlagValues): Promise<number> {
  process.stderr.write('skiff dashboard: the dashboard is not available in this build yet\n');
  return 1;
}
