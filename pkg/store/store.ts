/**
 * One revision of one key. Objects handed out by a store are frozen or fresh copies: never mutate
 * them. `version` counts modifications since creation (1 on create, reset by delete); a tombstone
 * (the `kv` of a delete event or the result of `delete`) has version 0.
 */
export interface KV {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  /** Absolute expiry (ms since the epoch, store clock) when the write carried a TTL. */
  expiresAt?: number;
}

/**
 * What a watcher sees. The revision of a put/delete event is `kv.modRevision`.
 * - `put`: a create when `prevKv` is undefined, else an update of `prevKv`.
 * - `delete`: `kv.value` is the last value and `kv.modRevision` the delete's revision; `prevKv` is
 *   the version that was deleted.
 * - `progress`: no later event on this watch will have a revision <= `revision`.
 */
export type WatchEvent =
  | { type: 'put'; kv: KV; prevKv?: KV }
  | { type: 'delete'; kv: KV; prevKv: KV }
  | { type: 'progress'; revision: number };

/**
 * A page of keys under a prefix, read at one revision.
 * `count` is the number of live keys under the prefix at `revision` that sort after `after` (the
 * remaining keys including this page, like etcd's count for a range that starts at the continue
 * key), so `count - items.length` is Kubernetes' `remainingItemCount`.
 */
export interface ListResult {
  items: KV[];
  revision: number;
  more: boolean;
  count: number;
}

export interface ListOptions {
  /** Read at this revision (default: current). */
  revision?: number;
  /** At most this many items (<= 0 or undefined: all). */
  limit?: number;
  /** Exclusive start key, for continuing a previous page at the same revision. */
  after?: string;
  /** Items carry `value: ''`. */
  keysOnly?: boolean;
}

export interface WatchOptions {
  /** Ends the watch: the iterator finishes normally and releases its queue. */
  signal: AbortSignal;
  /** When set, a `progress` event follows every idle period of this length (store clock). */
  progressIntervalMs?: number;
}

/** Figures for `skiff store stats`: flat, printable values only. */
export interface StoreStats {
  driver: 'sqlite' | 'memory';
  revision: number;
  compactRevision: number;
  /** Live keys, volatile ones included. */
  keys: number;
  /** Live keys that exist only in memory (volatile prefixes). */
  volatileKeys: number;
  /** Stored revisions of history (log rows / in-memory versions), tombstones included. */
  historyRows: number;
  watchers: number;
  /** Events in the in-memory watch ring (recent history served without SQL). */
  ringEvents: number;
  dbBytes: number;
  walBytes: number;
  /** Bytes on the database's free list (reclaimed by incremental vacuum). */
  freeBytes: number;
}

/**
 * A revisioned key-value store with etcd's semantics (the subset the Kubernetes apiserver uses).
 *
 * Revisions: one global counter; every successful create/update/delete takes the next revision
 * (there may be gaps, e.g. across restarts). `currentRevision()` is the revision of the last
 * committed write, and everything a read returns is consistent with one revision.
 *
 * Concurrency: any number of concurrent callers. Mutations are serialised in call order and
 * applied atomically one by one; compare-and-swap is exact (update/delete with an expected
 * modRevision fail with ConflictError if another writer got there first). A promise resolves only
 * after its write is committed, and watchers see a write only after it is committed.
 *
 * Errors: the classes in errors.ts, each with a stable `code`. Reads at a revision above the
 * current one throw FutureRevisionError; below the compaction point (or history lost to a
 * restart, see volatile prefixes) CompactedError. After `close()` every call throws
 * StoreClosedError.
 */
export interface Store {
  /** The live value at `revision` (default: current), or undefined. */
  get(key: string, opts?: { revision?: number }): Promise<KV | undefined>;
  /** Keys with `prefix` in byte order; see ListResult for `count`. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<{ count: number; revision: number }>;
  /** Throws KeyExistsError if the key is live. `ttlSeconds`: the key is deleted after that long. */
  create(key: string, value: string, opts?: { ttlSeconds?: number }): Promise<KV>;
  /**
   * Replaces the value if the key's modRevision is `expectedModRevision`. Throws NotFoundError, or
   * ConflictError carrying the current KV. The TTL is set by each write: omit it and the key no
   * longer expires.
   */
  update(key: string, value: string, expectedModRevision: number, opts?: { ttlSeconds?: number }): Promise<KV>;
  /**
   * Deletes the key (only if its modRevision is `expectedModRevision`, when given) and returns the
   * tombstone: the last value at the delete's revision, like the delete event's `kv`.
   * Throws NotFoundError or ConflictError.
   */
  delete(key: string, expectedModRevision?: number): Promise<KV>;
  /**
   * Events under `prefix` with revision > `afterRevision`, in revision order, without gaps or
   * duplicates: history first (replayed), then live events. Registration happens when iteration
   * starts; errors surface from the iterator: CompactedError if `afterRevision` is below what
   * the store still holds (now or later while replaying), WatcherOverflowError if the consumer
   * lets too many events queue up (writers never wait for watchers). `afterRevision` may be
   * ahead of the current revision: events up to it are skipped. The iterator ends normally
   * when `signal` aborts, when the consumer breaks out of it, or when the store closes.
   */
  watch(prefix: string, afterRevision: number, opts: WatchOptions): AsyncIterable<WatchEvent>;
  /**
   * Discards history below `revision`: afterwards reads below it throw CompactedError. Resolves
   * when the space is reclaimed (possibly in many small steps). Compacting at or below the
   * current compaction point is a no-op; above the current revision throws FutureRevisionError.
   */
  compact(revision: number): Promise<void>;
  currentRevision(): number;
  compactRevision(): number;
  stats(): Promise<StoreStats>;
  /** Commits queued writes, ends every watch and releases the database. Idempotent. */
  close(): Promise<void>;
}
