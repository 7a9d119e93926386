import { afterEach, expect } from 'vitest';
import type { Store, StoreOptions, WatchEvent } from '../../pkg/store/index.ts';

export type StoreFactory = (opts?: StoreOptions) => Promise<Store>;
/** Closes `store` cleanly, or abandons it as a crash would, and opens its data again. */
export type Reopen = (store: Store, how: { clean: boolean; options?: StoreOptions }) => Promise<Store>;

export interface Harness {
  open: StoreFactory;
  reopen?: Reopen;
}

/** Tracks every store a test opens and closes them after each test. */
export function harness(factory: StoreFactory, reopen?: Reopen): Harness {
  const open = new Set<Store>();
  afterEach(async () => {
    for (const s of open) await s.close();
    open.clear();
  });
  const track = (s: Store): Store => {
    open.add(s);
    return s;
  };
  return {
    open: async (opts) => track(await factory(opts)),
    reopen: reopen && (async (s, how) => track(await reopen(s, how))),
  };
}

/** The next `n` events of a watch iterator. */
export async function take(it: AsyncIterator<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) throw new Error(`watch ended after ${out.length} of ${n} events`);
    out.push(r.value);
  }
  return out;
}

export function iterate(store: Store, prefix: string, after: number, opts: { progressIntervalMs?: number; signal?: AbortSignal } = {}): AsyncIterator<WatchEvent> {
  const signal = opts.signal ?? new AbortController().signal;
  return store.watch(prefix, after, { signal, progressIntervalMs: opts.progressIntervalMs })[Symbol.asyncIterator]();
}

/** Compact event form for assertions: `put /k v@rev` / `delete /k @rev`. */
export function brief(e: WatchEvent): string {
  if (e.type === 'progress') return `progress @${e.revision}`;
  if (e.type === 'delete') return `delete ${e.kv.key} @${e.kv.modRevision}`;
  return `put ${e.kv.key} ${e.kv.value}@${e.kv.modRevision}${e.prevKv ? ` (was ${e.prevKv.value}@${e.prevKv.modRevision})` : ''}`;
}

export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  return expect.fail('expected a rejection');
}

/** Lets queued writes commit (group commit flushes on setImmediate). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}
