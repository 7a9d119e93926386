import { silentLogger, type Logger } from '../../util/index.ts';
import { StatusError } from '../status.ts';
import type { KObject, Status } from '../types/index.ts';
import { IndexedCache, type IndexFunc } from './cache.ts';
import type { ResourceClient } from './client.ts';
import { keyOf } from './keys.ts';
import { realTimers, sleep, type Timers } from './timers.ts';

export interface InformerOptions {
  /** Only this namespace (default: all namespaces, or the cluster for cluster-scoped kinds). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Every `resyncMs`, onUpdate(obj, obj) for every cached object (default 0: never). */
  resyncMs?: number;
  /** Re-watch/re-list delay after failures: initialMs doubling up to maxMs (default 800 ms → 30 s, as client-go). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Server-side watch timeout; the informer re-watches after it (default 300 s). */
  watchTimeoutSeconds?: number;
  /** Page size of the initial list and of relists (default 500, as kubectl). */
  pageSize?: number;
  timers?: Timers;
  log?: Logger;
}

/**
 * Change notifications. Called synchronously, in the order the informer applied the changes, after
 * the cache holds the new state; `old`/`obj` are the frozen cached objects (copy before changing).
 * A throwing handler is logged and does not stop the others. onDelete gets the last state known.
 */
export interface InformerHandler<T extends KObject = KObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

/**
 * A list+watch mirror of one collection (client-go's SharedIndexInformer with its Reflector):
 * lists, then watches from the list's resourceVersion with bookmarks, keeping an indexed cache of
 * deep-frozen objects and notifying handlers of each change. A watch that ends or fails resumes
 * from the last resourceVersion seen (with back-off when no progress was made); 410 Expired
 * relists and notifies only the difference: adds for new objects, updates for changed
 * resourceVersions, deletes for vanished ones. One informer may serve any number of handlers.
 */
export interface Informer<T extends KObject = KObject> {
  readonly apiVersion: string;
  readonly plural: string;
  readonly options: Readonly<InformerOptions>;
  /** Starts list+watch (idempotent; a stopped informer cannot be restarted). */
  start(): void;
  /** Ends the watch and timers; resolves when the informer loop has exited. Handlers get nothing after. */
  stop(): Promise<void>;
  /** The first list has been applied to the cache. */
  hasSynced(): boolean;
  /** Resolves true once synced; false if `signal` aborts or the informer stops first. */
  waitForSync(signal?: AbortSignal): Promise<boolean>;
  /** The resourceVersion the cache is current at (undefined before the first list). */
  readonly resourceVersion: string | undefined;
  /** The cached object with key `ns/name` (or `name`), see keyOf. */
  get(key: string): T | undefined;
  list(): T[];
  keys(): string[];
  /** Objects filed under `value` by index `name`; `namespace` is built in. Throws for unknown indexes. */
  byIndex(name: string, value: string): T[];
  /** Adds an index at any time; current objects are indexed at once. */
  addIndexer(name: string, fn: IndexFunc<T>): void;
  /**
   * Registers handlers at any time; returns their removal. A handler registered after objects
   * were cached gets onAdd for each of them first, synchronously, before any later change.
   */
  addHandler(handler: InformerHandler<T>): () => void;
  onAdd(fn: (obj: T) => void): () => void;
  onUpdate(fn: (oldObj: T, newObj: T) => void): () => void;
  onDelete(fn: (obj: T) => void): () => void;
}

/**
 * An informer over `rc`, not yet started. `apiVersion` and `plural` only label it (logs, the
 * factory); the resource is whatever `rc` serves.
 */
export function createInformer<T extends KObject = KObject>(rc: ResourceClient<T>, opts: InformerOptions & { apiVersion?: string; plural?: string } = {}): Informer<T> {
  return new ListWatchInformer(rc, opts);
}

const isExpired = (code: number | undefined, reason: string | undefined) => code === 410 || reason === 'Expired' || reason === 'Gone';

class ListWatchInformer<T extends KObject> implements Informer<T> {
  readonly apiVersion: string;
  readonly plural: string;
  readonly options: Readonly<InformerOptions>;
  private readonly cache = new IndexedCache<T>();
  private readonly handlers = new Set<InformerHandler<T>>();
  private readonly abort = new AbortController();
  private readonly timers: Timers;
  private readonly log: Logger;
  private rv: string | undefined;
  private synced = false;
  private loop: Promise<void> | undefined;
  private syncWaiters: Array<(ok: boolean) => void> = [];
  private cancelResync: (() => void) | undefined;

  constructor(private readonly rc: ResourceClient<T>, opts: InformerOptions & { apiVersion?: string; plural?: string }) {
    const { apiVersion = '', plural = '', ...rest } = opts;
    this.apiVersion = apiVersion;
    this.plural = plural;
    this.options = rest;
    this.timers = rest.timers ?? realTimers;
    this.log = (rest.log ?? silentLogger).child({ informer: plural || 'objects', namespace: rest.namespace ?? '' });
  }

  get resourceVersion(): string | undefined {
    return this.rv;
  }

  start(): void {
    if (this.loop || this.abort.signal.aborted) return;
    this.loop = this.run(this.abort.signal).catch((err: unknown) => this.log.error('informer stopped by an unexpected error', { err }));
    if (this.options.resyncMs && this.options.resyncMs > 0) this.scheduleResync(this.options.resyncMs);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.cancelResync?.();
    for (const w of this.syncWaiters.splice(0)) w(false);
    await this.loop;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.abort.signal.aborted || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = () => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
        done(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(done);
    });
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return this.cache.list();
  }

  keys(): string[] {
    return this.cache.keys();
  }

  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value);
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndexer(name, fn);
  }

  addHandler(handler: InformerHandler<T>): () => void {
    this.handlers.add(handler);
    if (handler.onAdd) for (const obj of this.cache.list()) this.call(() => handler.onAdd!(obj));
    return () => this.handlers.delete(handler);
  }

  onAdd(fn: (obj: T) => void): () => void {
    return this.addHandler({ onAdd: fn });
  }

  onUpdate(fn: (oldObj: T, newObj: T) => void): () => void {
    return this.addHandler({ onUpdate: fn });
  }

  onDelete(fn: (obj: T) => void): () => void {
    return this.addHandler({ onDelete: fn });
  }

  // The Reflector: list, watch, and decide after each watch whether to relist, re-watch or wait.
  private async run(signal: AbortSignal): Promise<void> {
    const { initialMs = 800, maxMs = 30_000 } = this.options.backoff ?? {};
    let relist = true;
    // Consecutive rounds that made no progress; they back off exponentially.
    let idle = 0;
    while (!signal.aborted) {
      let progressed = false;
      let expired = false;
      try {
        if (relist) {
          await this.relist();
          relist = false;
        }
        const out = await this.watch(signal);
        progressed = out.events > 0;
        expired = out.expired;
      } catch (err) {
        if (signal.aborted) break;
        const e = err instanceof StatusError ? err : undefined;
        expired = isExpired(e?.code, e?.reason);
        if (!expired) this.log.warn('list/watch failed; retrying', { err: err instanceof Error ? err.message : String(err), resourceVersion: this.rv });
      }
      if (signal.aborted) break;
      if (expired) {
        this.log.info('resourceVersion expired; relisting', { resourceVersion: this.rv });
        relist = true;
      }
      idle = progressed ? 0 : idle + 1;
      // The first 410 after progress relists at once; anything else that made no progress waits.
      if (idle > 1 || (idle === 1 && !expired)) await sleep(this.timers, Math.min(maxMs, initialMs * 2 ** (Math.min(idle, 32) - 1)), signal);
    }
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.listAll();
    if (this.abort.signal.aborted) return;
    const fresh = new Map<string, T>();
    for (const item of items) fresh.set(keyOf(item), deepFreeze(item));
    for (const [key, obj] of fresh) {
      const old = this.cache.get(key);
      if (!old) this.apply('add', key, obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.apply('update', key, obj);
    }
    for (const key of this.cache.keys()) if (!fresh.has(key)) this.apply('delete', key);
    this.rv = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w(true);
    }
  }

  // Pages of `pageSize`; when a continue token expires mid-way, one unpaged list instead (as client-go's pager).
  private async listAll(): Promise<{ items: T[]; resourceVersion: string | undefined }> {
    const { namespace, labelSelector, fieldSelector, pageSize = 500 } = this.options;
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    try {
      do {
        const page = await this.rc.list(namespace, { labelSelector, fieldSelector, limit: pageSize, continue: cont });
        items.push(...page.items);
        cont = page.metadata.continue || undefined;
        resourceVersion = page.metadata.resourceVersion;
      } while (cont);
    } catch (err) {
      if (!(err instanceof StatusError) || !isExpired(err.code, err.reason) || !cont) throw err;
      const all = await this.rc.list(namespace, { labelSelector, fieldSelector });
      return { items: all.items, resourceVersion: all.metadata.resourceVersion };
    }
    return { items, resourceVersion };
  }

  private async watch(signal: AbortSignal): Promise<{ events: number; expired: boolean }> {
    const { namespace, labelSelector, fieldSelector, watchTimeoutSeconds = 300 } = this.options;
    let events = 0;
    const stream = this.rc.watch(namespace, { resourceVersion: this.rv, labelSelector, fieldSelector, allowWatchBookmarks: true, timeoutSeconds: watchTimeoutSeconds, signal });
    for await (const ev of stream) {
      if (signal.aborted) break;
      if (ev.type === 'ERROR') {
        const status = ev.object as unknown as Status;
        if (isExpired(status.code, status.reason)) return { events, expired: true };
        throw new StatusError({ ...status, code: status.code ?? 500 });
      }
      events++;
      const obj = ev.object;
      if (ev.type === 'DELETED') this.apply('delete', keyOf(obj), deepFreeze(obj));
      else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.apply(this.cache.get(keyOf(obj)) ? 'update' : 'add', keyOf(obj), deepFreeze(obj));
      if (obj.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion;
    }
    return { events, expired: false };
  }

  private apply(op: 'add' | 'update' | 'delete', key: string, obj?: T): void {
    if (op === 'delete') {
      const old = this.cache.delete(key);
      if (!old) return;
      const last = obj ?? old;
      this.notify((h) => h.onDelete?.(last));
      return;
    }
    const old = this.cache.set(key, obj!);
    if (old) this.notify((h) => h.onUpdate?.(old, obj!));
    else this.notify((h) => h.onAdd?.(obj!));
  }

  private notify(fn: (h: InformerHandler<T>) => void): void {
    if (this.abort.signal.aborted) return;
    for (const h of [...this.handlers]) this.call(() => fn(h));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error('informer handler failed', { err });
    }
  }

  private scheduleResync(ms: number): void {
    this.cancelResync = this.timers.setTimeout(() => {
      if (this.abort.signal.aborted) return;
      for (const obj of this.cache.list()) this.notify((h) => h.onUpdate?.(obj, obj));
      this.scheduleResync(ms);
    }, ms);
  }
}

function deepFreeze<T>(obj: T): T {
  if (obj && typeof obj === 'object' && !Object.isFrozen(obj)) {
    Object.freeze(obj);
    for (const v of Object.values(obj)) deepFreeze(v);
  }
  return obj;
}
