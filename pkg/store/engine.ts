import type { Backend, Change, DurableBackend, MemoryBackendApi, TtlEntry } from './backend.ts';
import { CommitQueue, type Mutation } from './commit.ts';
import { Compactor } from './compactor.ts';
import { CompactedError, FutureRevisionError, StoreClosedError, StoreError } from './errors.ts';
import { compareKeys, prefixesOverlap } from './keys.ts';
import type { ResolvedOptions } from './options.ts';
import type { KV, ListOptions, ListResult, Store, StoreStats, WatchEvent, WatchOptions } from './store.ts';
import { TtlScheduler } from './ttl.ts';
import { WatchHub } from './watch-hub.ts';
import { Watcher } from './watcher.ts';

export interface EngineInit {
  driver: StoreStats['driver'];
  /** Volatile keys (sqlite) or every key (memory). */
  memory: MemoryBackendApi;
  durable?: DurableBackend;
  /** Current revision at open. */
  revision: number;
  compactRevision: number;
  /** Persisted revision ceiling (durable only). */
  ceiling?: number;
  /** Keys with an expiry found at open. */
  expiring?: TtlEntry[];
  options: ResolvedOptions;
}

/**
 * The Store on top of one or two synchronous backends: keys under a volatile prefix (or all keys,
 * without a durable backend) live in `memory`, the rest in `durable`. Reads route by key, or
 * merge both backends for a prefix that spans them. Writes go through the CommitQueue, events
 * through the WatchHub; TTL and automatic compaction run on the injected clock.
 */
export class Engine implements Store {
  private readonly writes: CommitQueue;
  private readonly hub: WatchHub;
  private readonly ttl: TtlScheduler;
  private readonly compactor: Compactor;
  private readonly memory: MemoryBackendApi;
  private readonly durable?: DurableBackend;
  private readonly volatile: string[];
  private compactRev: number;
  private physicalTarget = 0;
  private physical?: Promise<void>;
  private closed = false;
  private closing?: Promise<void>;

  constructor(private readonly init: EngineInit) {
    const o = init.options;
    this.memory = init.memory;
    this.durable = init.durable;
    this.volatile = init.durable ? o.volatilePrefixes : [];
    this.compactRev = init.compactRevision;
    this.writes = new CommitQueue(
      { memory: this.memory, durable: this.durable, isVolatile: (k) => this.isVolatile(k), clock: o.clock, logger: o.logger, published: (c, r) => this.published(c, r) },
      init.revision,
      init.ceiling,
    );
    this.hub = new WatchHub(init.revision, o.historyRingSize, {
      replay: (prefix, after, until) => this.replay(prefix, after, until),
      floor: (prefix) => this.floor(this.backendsFor(prefix)),
    });
    this.ttl = new TtlScheduler(o.clock, (due) => this.expire(due));
    for (const e of init.expiring ?? []) this.ttl.track(e);
    this.compactor = new Compactor({
      clock: o.clock,
      intervalMs: o.compactIntervalMs,
      minRetain: o.compactMinRetain,
      logger: o.logger,
      currentRevision: () => this.currentRevision(),
      compactRevision: () => this.compactRev,
      compact: (rev) => this.compact(rev),
    });
    this.compactor.start();
    if (this.durable && this.durable.floor() < this.compactRev) {
      this.compactPhysically(this.compactRev).catch((err: unknown) => o.logger.error('store compaction failed', { err }));
    }
  }

  currentRevision(): number {
    return this.writes.revision;
  }

  compactRevision(): number {
    return this.compactRev;
  }

  async get(key: string, opts?: { revision?: number }): Promise<KV | undefined> {
    this.assertOpen();
    const b = this.route(key);
    const rev = this.readRevision(opts?.revision, [b]);
    return rev === undefined ? b.getCurrent(key) : b.getAt(key, rev);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const sources = this.backendsFor(prefix);
    const revision = this.readRevision(opts.revision, sources);
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : undefined;
    const q = { prefix, after: opts.after, revision, keysOnly: opts.keysOnly, limit: limit === undefined ? undefined : limit + 1 };
    let items = sources.length === 1 ? sources[0].list(q) : merge(sources.map((b) => b.list(q)));
    const more = limit !== undefined && items.length > limit;
    if (more) items = items.slice(0, limit);
    const count = more ? sources.reduce((n, b) => n + b.count(q), 0) : items.length;
    return { items, revision: revision ?? this.currentRevision(), more, count };
  }

  async count(prefix: string): Promise<{ count: number; revision: number }> {
    this.assertOpen();
    const count = this.backendsFor(prefix).reduce((n, b) => n + b.count({ prefix }), 0);
    return { count, revision: this.currentRevision() };
  }

  create(key: string, value: string, opts?: { ttlSeconds?: number }): Promise<KV> {
    return this.mutate({ op: 'create', key, value, ttlSeconds: opts?.ttlSeconds });
  }

  update(key: string, value: string, expectedModRevision: number, opts?: { ttlSeconds?: number }): Promise<KV> {
    return this.mutate({ op: 'update', key, value, expected: expectedModRevision, ttlSeconds: opts?.ttlSeconds });
  }

  delete(key: string, expectedModRevision?: number): Promise<KV> {
    return this.mutate({ op: 'delete', key, expected: expectedModRevision });
  }

  watch(prefix: string, afterRevision: number, opts: WatchOptions): AsyncIterable<WatchEvent> {
    return {
      [Symbol.asyncIterator]: () => {
        this.assertOpen();
        const o = this.init.options;
        return new Watcher(this.hub, prefix, afterRevision, { ...opts, queueLimit: o.watchQueueLimit, clock: o.clock });
      },
    };
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    assertRevision(revision);
    if (revision > this.currentRevision()) throw new FutureRevisionError(revision, this.currentRevision());
    if (revision <= this.compactRev) return;
    this.compactRev = revision;
    this.memory.compact(revision);
    if (this.durable) await this.compactPhysically(revision);
  }

  async stats(): Promise<StoreStats> {
    this.assertOpen();
    const files = this.durable?.files() ?? { dbBytes: 0, walBytes: 0, freeBytes: 0 };
    const volatileKeys = this.durable ? this.memory.liveKeys() : 0;
    return {
      driver: this.init.driver,
      revision: this.currentRevision(),
      compactRevision: this.compactRev,
      keys: this.memory.liveKeys() + (this.durable?.liveKeys() ?? 0),
      volatileKeys,
      historyRows: this.memory.historyRows() + (this.durable?.historyRows() ?? 0),
      watchers: this.hub.watchers,
      ringEvents: this.hub.ringEvents,
      ...files,
    };
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.writes.flushAll();
    this.closed = true;
    this.compactor.stop();
    this.ttl.stop();
    this.hub.closeAll();
    await this.physical?.catch(() => {});
    this.durable?.close(this.currentRevision(), this.compactRev);
  }

  private mutate(m: Mutation): Promise<KV> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    if (typeof m.key !== 'string' || m.key === '') return Promise.reject(new StoreError('ERR_STORE_INVALID', 'key must be a non-empty string'));
    if (m.op !== 'delete' && typeof m.value !== 'string') return Promise.reject(new StoreError('ERR_STORE_INVALID', `value of "${m.key}" must be a string`));
    if (m.op !== 'delete' && m.ttlSeconds !== undefined && !(m.ttlSeconds > 0 && Number.isFinite(m.ttlSeconds))) {
      return Promise.reject(new StoreError('ERR_STORE_INVALID', `ttlSeconds must be a positive number, got ${m.ttlSeconds}`));
    }
    return this.writes.enqueue(m);
  }

  private published(changes: readonly Change[], revision: number): void {
    this.hub.publish(changes, revision);
    for (const c of changes) {
      if (c.type === 'put' && c.kv.expiresAt !== undefined) this.ttl.track({ key: c.kv.key, modRevision: c.kv.modRevision, expiresAt: c.kv.expiresAt });
    }
  }

  private expire(due: TtlEntry[]): void {
    for (const e of due) {
      if (this.closed) return;
      if (this.route(e.key).getCurrent(e.key)?.modRevision !== e.modRevision) continue;
      this.writes.enqueue({ op: 'delete', key: e.key, expected: e.modRevision }).catch(() => {});
    }
  }

  /**
   * Physical compaction in small transactions, yielding to the event loop between them; then
   * housekeeping while no writes wait. One loop at a time: a higher target raised meanwhile is
   * picked up by the running loop, and every caller's promise covers its own target.
   */
  private compactPhysically(target: number): Promise<void> {
    this.physicalTarget = Math.max(this.physicalTarget, target);
    this.physical ??= this.runCompaction().finally(() => {
      this.physical = undefined;
    });
    return this.physical;
  }

  private async runCompaction(): Promise<void> {
    const d = this.durable!;
    for (;;) {
      while (!this.closed && d.compactStep(this.physicalTarget)) await yieldTurn();
      while (!this.closed && this.writes.idle && d.maintain()) await yieldTurn();
      if (this.closed || d.floor() >= this.physicalTarget) return;
    }
  }

  private replay(prefix: string, after: number, until: number): Change[] {
    const parts = this.backendsFor(prefix).map((b) => b.replay(prefix, after, until));
    return parts.length === 1 ? parts[0] : parts.flat().sort((a, b) => a.kv.modRevision - b.kv.modRevision);
  }

  /** Undefined means "current"; otherwise checks the revision is held by every source. */
  private readRevision(revision: number | undefined, sources: Backend[]): number | undefined {
    const current = this.currentRevision();
    if (revision === undefined || revision === current) return undefined;
    assertRevision(revision);
    if (revision > current) throw new FutureRevisionError(revision, current);
    const floor = this.floor(sources);
    if (revision < floor) throw new CompactedError(revision, floor, current);
    return revision;
  }

  private floor(sources: Backend[]): number {
    return sources.reduce((f, b) => Math.max(f, b.floor()), this.compactRev);
  }

  private isVolatile(key: string): boolean {
    return this.volatile.some((p) => key.startsWith(p));
  }

  private route(key: string): Backend {
    return this.durable && !this.isVolatile(key) ? this.durable : this.memory;
  }

  private backendsFor(prefix: string): Backend[] {
    if (!this.durable) return [this.memory];
    if (this.volatile.some((v) => prefix.startsWith(v))) return [this.memory];
    if (this.volatile.some((v) => prefixesOverlap(v, prefix))) return [this.durable, this.memory];
    return [this.durable];
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

function assertRevision(revision: number): void {
  if (!Number.isSafeInteger(revision) || revision < 0) throw new StoreError('ERR_STORE_INVALID', `invalid revision ${revision}`);
}

function merge(parts: KV[][]): KV[] {
  return parts.flat().sort((a, b) => compareKeys(a.key, b.key));
}

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
