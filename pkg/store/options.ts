/**
 * Time as the store sees it. `now()` is ms since the epoch (TTL expiry is stored in it);
 * `setTimeout` schedules `fn` once after `ms` and returns a cancel function. The store's timers
 * never keep the process alive. Tests inject a manual clock to drive TTL, compaction and
 * progress notifications without waiting.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): () => void;
}

/** Structured logging; `pkg/util`'s Logger fits. Must not throw. */
export interface StoreLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface StoreOptions {
  /**
   * Keys under these prefixes live only in memory: never written to disk, gone after a restart,
   * otherwise like any key (same revision counter, get/list/watch). Reads and watches that touch
   * them at revisions from before the restart throw CompactedError. Ignored by `memory:`.
   */
  volatilePrefixes?: string[];
  /** SQLite `synchronous`: NORMAL (default) survives process crashes, FULL also power loss. */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * Automatic compaction period (default 5 min; 0 disables). Each run compacts to the revision
   * seen one period earlier, so about one period of history is kept, and never touches the
   * newest `compactMinRetain` revisions.
   */
  compactIntervalMs?: number;
  /** Revisions automatic compaction always keeps (default 1000). */
  compactMinRetain?: number;
  /** Events a watcher may have queued before it is cut off with WatcherOverflowError (default 10,000). */
  watchQueueLimit?: number;
  /** Recent events kept in memory for replay without SQL (default 10,000; also capped at 16 MiB). */
  historyRingSize?: number;
  clock?: Clock;
  logger?: StoreLogger;
  /** Path of the better-sqlite3 addon (default: `sqliteNativeBinding()`, i.e. node_modules). */
  nativeBinding?: string;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

const noop = (): void => {};
export const silentStoreLogger: StoreLogger = { debug: noop, info: noop, warn: noop, error: noop };

export type ResolvedOptions = Required<Omit<StoreOptions, 'nativeBinding' | 'synchronous'>> &
  Pick<StoreOptions, 'nativeBinding'> & { synchronous: 'NORMAL' | 'FULL' };

export function resolveOptions(o: StoreOptions = {}): ResolvedOptions {
  return {
    volatilePrefixes: [...(o.volatilePrefixes ?? [])],
    synchronous: o.synchronous ?? 'NORMAL',
    compactIntervalMs: o.compactIntervalMs ?? 5 * 60_000,
    compactMinRetain: o.compactMinRetain ?? 1000,
    watchQueueLimit: o.watchQueueLimit ?? 10_000,
    historyRingSize: o.historyRingSize ?? 10_000,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentStoreLogger,
    nativeBinding: o.nativeBinding,
  };
}
