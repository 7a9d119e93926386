import { createReadStream, existsSync } from 'node:fs';
import type { FlagValues } from './flags.ts';
import { UsageError } from './flags.ts';
import { DockerRuntime } from '../pkg/agent/runtime/index.ts';

export async function run(_flags: FlagValues, positionals: string[] = []): Promise<number> {
  const [sub, ...files] = positionals;
  if (sub !== 'import' || files.length === 0) throw new UsageError('usage: skiff images import FILE.tar [FILE.tar …]');
  for (const f of files) if (!existsSync(f)) throw new UsageError(`no such file: ${f}`);
  const rt = new DockerRuntime();
  await rt.ping();
  for (const f of files) {
    const names = await rt.importImages(createReadStream(f));
    process.stdout.write(`${f}: ${names.join(', ') || 'no images'}\n`);
  }
  return 0;
}
