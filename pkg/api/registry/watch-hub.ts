import { CompactedError, EventRing, StoreClosedError, WatcherOverflowError, type Change, type Store } from '../../store/index.ts';
import type { Logger } from '../../util/index.ts';
import type { ResourceDef } from '../resource.ts';
import type { RegistryTuning } from './context.ts';
import { storagePrefix } from './keys.ts';

// Values (UTF-16 units, ~8 MiB) kept alive by one resource's ring: bounds memory on a Pi with large objects.
const RING_MAX_CHARS = 4 * 1024 * 1024;

/** Per-change scratch space shared by the watchers a change is dispatched to (see watcher.ts). */
export type DispatchMemo = Map<ResourceDef, { cur?: unknown; prev?: unknown }>;

/** What a WatchCache needs from one watcher. */
export interface WatchSink {
  /** Called synchronously, in revision order, for every change after the sink's start revision. Must not throw. */
  offer(c: Change, memo: DispatchMemo): void;
  /** The cache lost continuity (or is closing): end the stream; the client re-watches. */
  close(): void;
}

/**
 * One store subscription per storage prefix, fanned out to every watcher of that resource (the
 * apiserver Cacher idea, kubectl-api.md §9, store.md §4). Started lazily on the first watch, from
 * the store's compaction point, so any resourceVersion the store still holds can be resumed from
 * (until the ring of recent changes moves past it: then 410). Dispatch is synchronous: a watcher
 * registered at revision R sees exactly the changes after R, ring replay first.
 */
export class WatchCache {
  readonly ring: EventRing;
  /** Every change up to this revision has been dispatched. */
  private rev: number;
  private readonly sinks = new Set<WatchSink>();
  private readonly abort = new AbortController();
  /** The loop is waiting on the store with nothing queued: it has seen every committed change. */
  private parked = false;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    tuning: RegistryTuning,
    readonly prefix: string,
  ) {
    const from = store.compactRevision();
    // The newest change stays even when it alone passes the bounds.
    this.ring = new EventRing(tuning.watchCacheSize, RING_MAX_CHARS, from, 1);
    this.rev = from;
    void this.run(from);
  }

  get watchers(): number {
    return this.sinks.size;
  }

  /** Oldest revision a watch may start after; older ones get 410. */
  get oldest(): number {
    return this.ring.completeAfter;
  }

  /**
   * A revision for bookmarks: nothing at or below it is still on its way to the watchers. When the
   * loop is parked, every committed change has been dispatched (the store publishes synchronously
   * after commit and timers run only after the resulting microtasks), so the store's current
   * revision qualifies.
   */
  get freshRevision(): number {
    return this.parked ? Math.max(this.rev, this.store.currentRevision()) : this.rev;
  }

  /** The subscription ended for good (handler closed, store closed or failed). */
  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /**
   * Starts `sink` after revision `after`: ring replay, then live changes. `expired` when the ring
   * no longer reaches back to `after`; `stopped` when this cache is done.
   */
  register(sink: WatchSink, after: number): 'ok' | 'expired' | 'stopped' {
    if (this.stopped) return 'stopped';
    if (after < this.ring.completeAfter) return 'expired';
    for (const c of this.ring.since(after)) sink.offer(c, new Map());
    this.sinks.add(sink);
    return 'ok';
  }

  unregister(sink: WatchSink): void {
    this.sinks.delete(sink);
  }

  close(): void {
    this.abort.abort();
    this.closeSinks();
  }

  private async run(from: number): Promise<void> {
    let after = from;
    while (!this.abort.signal.aborted) {
      try {
        const it = this.store.watch(this.prefix, after, { signal: this.abort.signal })[Symbol.asyncIterator]();
        for (;;) {
          this.parked = true;
          const r = await it.next();
          this.parked = false;
          if (r.done) {
            // Our abort, or the store closed: nothing more will come.
            this.abort.abort();
            break;
          }
          const ev = r.value;
          if (ev.type === 'progress') this.rev = Math.max(this.rev, ev.revision);
          else {
            this.dispatch(ev);
            after = ev.kv.modRevision;
          }
        }
      } catch (err) {
        this.parked = false;
        if (err instanceof WatcherOverflowError) {
          // We fell behind the store's queue; resuming from `after` replays what we missed.
          this.log.warn('watch cache fell behind the store; resuming', { prefix: this.prefix, revision: after });
        } else if (err instanceof CompactedError) {
          // A gap: every watcher must re-watch (and gets 410 if it cannot be served any more).
          after = this.store.currentRevision();
          this.log.warn('watch cache lost history to compaction; restarting', { prefix: this.prefix, revision: after });
          this.ring.reset(after);
          this.rev = after;
          this.closeSinks();
        } else {
          if (!(err instanceof StoreClosedError)) this.log.error('watch cache failed', { prefix: this.prefix, err });
          this.abort.abort();
        }
      }
    }
    this.closeSinks();
  }

  private dispatch(c: Change): void {
    this.ring.push(c);
    this.rev = c.kv.modRevision;
    const memo: DispatchMemo = new Map();
    for (const s of this.sinks) s.offer(c, memo);
  }

  private closeSinks(): void {
    for (const s of [...this.sinks]) s.close();
    this.sinks.clear();
  }
}

/** The WatchCaches of one handler, one per storage prefix (defs sharing storage share one). */
export class WatchHub {
  private readonly caches = new Map<string, WatchCache>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly tuning: RegistryTuning,
  ) {}

  cache(def: ResourceDef): WatchCache | undefined {
    if (this.closed) return undefined;
    const prefix = storagePrefix(def);
    let c = this.caches.get(prefix);
    // A cache that stopped (its subscription failed) is replaced by a fresh one.
    if (!c || c.stopped) this.caches.set(prefix, (c = new WatchCache(this.store, this.log, this.tuning, prefix)));
    return c;
  }

  /** Store subscriptions held (one per resource watched so far). */
  get subscriptions(): number {
    return this.caches.size;
  }

  close(): void {
    this.closed = true;
    for (const c of this.caches.values()) c.close();
    this.caches.clear();
  }
}
