import { Engine } from './engine.ts';
import { MemoryBackend } from './memory-backend.ts';
import { resolveOptions, type StoreOptions } from './options.ts';
import type { Store } from './store.ts';

/**
 * A store that lives in this process only, with the same semantics as the sqlite driver
 * (history, compaction, watch replay, TTL), for tests and throwaway clusters. A fresh store is
 * at revision 1 and holds its whole history until compacted. `volatilePrefixes` change nothing.
 */
export function openMemoryStore(options?: StoreOptions): Store {
  return new Engine({ driver: 'memory', memory: new MemoryBackend(0), revision: 1, compactRevision: 0, options: resolveOptions(options) });
}
