import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FlagValues } from './flags.ts';
import { UsageError } from './flags.ts';
import { storeFile } from './paths.ts';
import { openStore, type Store } from '../pkg/store/index.ts';

type Verb = (store: Store, args: string[], flags: FlagValues) => Promise<string>;

const verbs: Record<string, { args: string; run: Verb }> = {
  stats: { args: '', run: async (s) => Object.entries(await s.stats()).map(([k, v]) => `${k}: ${v}`).join('\n') },
  get: {
    args: 'KEY',
    run: async (s, [key]) => {
      const kv = await s.get(key);
      if (!kv) throw new Error(`key "${key}" not found`);
      return kv.value;
    },
  },
  list: {
    args: 'PREFIX',
    run: async (s, [prefix], f) => {
      const limit = (f.limit as number) || undefined;
      const r = await s.list(prefix, { limit, keysOnly: true });
      return r.items.map((kv) => `${kv.key}\t${kv.modRevision}`).join('\n');
    },
  },
  put: {
    args: 'KEY VALUE',
    run: async (s, [key, value]) => {
      const cur = await s.get(key);
      const kv = cur ? await s.update(key, value, cur.modRevision) : await s.create(key, value);
      return String(kv.modRevision);
    },
  },
  delete: { args: 'KEY', run: async (s, [key]) => String((await s.delete(key)).modRevision) },
  compact: {
    args: '[REVISION]',
    run: async (s, [rev]) => {
      const target = rev === undefined ? s.currentRevision() : Number(rev);
      if (!Number.isInteger(target) || target < 0) throw new UsageError(`"${rev}" is not a revision`);
      await s.compact(target);
      return String(s.compactRevision());
    },
  },
};

export async function run(flags: FlagValues, args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const verb = verbs[name];
  if (!verb) throw new UsageError(name ? `unknown store command "${name}"` : `a store command is required: ${Object.keys(verbs).join(', ')}`);
  const want = verb.args.split(' ').filter((a) => a && !a.startsWith('[')).length;
  if (rest.length < want) throw new UsageError(`usage: skiff store ${name} ${verb.args}`);
  const file = storeFile(flags['data-dir'] as string);
  // Only `put` may create a store; reading a path that has none would silently create an empty one.
  if (name !== 'put' && !existsSync(file)) throw new Error(`no store at ${file} (is --data-dir right?)`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const store = await openStore(`sqlite:${file}`);
  try {
    const out = await verb.run(store, rest, flags);
    if (out) process.stdout.write(`${out}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
