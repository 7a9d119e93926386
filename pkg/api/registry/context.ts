import type { Store } from '../../store/index.ts';
import type { Logger } from '../../util/index.ts';
import type { ResourceDef } from '../resource.ts';
import type { AdmissionPlugin } from './admission.ts';
import type { SchemaHooks } from './schema-hooks.ts';
import type { WatchHub } from './watch-hub.ts';
import type { WriteAllocator } from './write-allocator.ts';

/** Schedules `fn` once after `ms`; returns a cancel function. The store's `Clock` fits. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): () => void;
}

export const realTimers: Timers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** Tunables with upstream-like defaults; tests shrink them to reach edge cases quickly. */
export interface RegistryTuning {
  /** Events kept per resource for watches that resume from a resourceVersion (default 10,000). */
  watchCacheSize: number;
  /** Events a watcher may have queued before it is cut off (default 1,000). */
  watcherBufferSize: number;
  /** Bookmark period for watchers that allow bookmarks (default 60 s, as upstream). */
  bookmarkIntervalMs: number;
  /** How long a read at a future resourceVersion waits before 504 (default 3 s, as upstream). */
  futureRevisionWaitMs: number;
}

export const defaultTuning: RegistryTuning = {
  watchCacheSize: 10_000,
  watcherBufferSize: 1_000,
  bookmarkIntervalMs: 60_000,
  futureRevisionWaitMs: 3_000,
};

/** Everything the verb implementations share; built once by createApiHandler. */
export interface RegistryContext {
  store: Store;
  resources: readonly ResourceDef[];
  now(): Date;
  timers: Timers;
  log: Logger;
  tuning: RegistryTuning;
  schema: SchemaHooks;
  hub: WatchHub;
  /** Hands out pooled values (service cluster IPs and node ports) on writes of the kinds it covers. */
  allocator?: WriteAllocator;
  /** Admission plugins, in order (admission.ts). */
  admission: readonly AdmissionPlugin[];
}
