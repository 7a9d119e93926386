import type { KV, WatchEvent } from './store.ts';

/**
 * A committed mutation. It is also the watch event: for a put, `kv` is the new version and
 * `prevKv` the one it replaced; for a delete, `kv` is the tombstone (last value, delete revision)
 * and `prevKv` the deleted version. Frozen.
 */
export type Change = Extract<WatchEvent, { type: 'put' | 'delete' }>;

export interface RangeQuery {
  prefix: string;
  /** Exclusive start key. */
  after?: string;
  /** Undefined: the current state. */
  revision?: number;
  /** Maximum number of items; undefined: no limit. */
  limit?: number;
  keysOnly?: boolean;
}

/** A key with an expiry, for the TTL heap. */
export interface TtlEntry {
  key: string;
  modRevision: number;
  expiresAt: number;
}

/**
 * The synchronous storage under the engine: one keyspace with history. The engine does all
 * revision checks (future, compacted) before calling; backends just answer. All methods run to
 * completion synchronously, so a caller sees one consistent state per call.
 */
export interface Backend {
  /** Lowest revision whose state and later history this backend still holds. */
  floor(): number;
  getCurrent(key: string): KV | undefined;
  getAt(key: string, revision: number): KV | undefined;
  /** Live keys in byte order. */
  list(q: RangeQuery): KV[];
  count(q: Pick<RangeQuery, 'prefix' | 'after' | 'revision'>): number;
  /** Changes under `prefix` with `after < revision <= until`, in revision order. */
  replay(prefix: string, after: number, until: number): Change[];
  liveKeys(): number;
  historyRows(): number;
}

/** Lives in memory: the `memory:` driver's whole keyspace, or the sqlite driver's volatile keys. */
export interface MemoryBackendApi extends Backend {
  /** Applies committed changes (revision order). */
  apply(changes: readonly Change[]): void;
  /** Drops history below `revision` at once. */
  compact(revision: number): void;
}

/** On disk. Every write method is one transaction: it either all happens or throws. */
export interface DurableBackend extends Backend {
  /** Writes the changes and, when given, the new revision ceiling (durably, even under NORMAL). */
  commit(changes: readonly Change[], ceiling: number | undefined): void;
  /** Physically compacts one small window towards `target`; false once `target` is reached. */
  compactStep(target: number): boolean;
  /** One step of housekeeping after compaction (vacuum, checkpoint); false when nothing is left. */
  maintain(): boolean;
  /** Live keys with an expiry. */
  expiring(): TtlEntry[];
  files(): { dbBytes: number; walBytes: number; freeBytes: number };
  /** Records a clean shutdown at `revision` and closes the database. */
  close(revision: number, compactRevision: number): void;
}
