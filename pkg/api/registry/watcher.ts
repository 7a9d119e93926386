import type { ResourceDef } from '../resource.ts';
import type { KObject, WatchEvent } from '../types/index.ts';
import { decode } from './codec.ts';
import type { Timers } from './context.ts';
import type { ObjectFilter } from './filter.ts';
import { apiVersionOf, deepFreeze } from './meta.ts';
import type { DispatchMemo, WatchCache, WatchSink } from './watch-hub.ts';
import type { Change } from '../../store/index.ts';

export interface WatcherOptions {
  def: ResourceDef;
  /** Storage key prefix of the namespace (or all namespaces) watched. */
  keyPrefix: string;
  filter: ObjectFilter;
  /** Changes with revision > after are delivered. */
  after: number;
  /** Synthetic ADDED events served first (the state at `after`, for resourceVersion unset/"0"). */
  initial: KObject[];
  cache: WatchCache;
  signal: AbortSignal;
  timers: Timers;
  bufferSize: number;
  bookmarks: boolean;
  bookmarkIntervalMs: number;
  timeoutMs?: number;
}

const DONE: IteratorResult<WatchEvent> = { done: true, value: undefined };
// As upstream: the last bookmark goes out this long before the watch's deadline.
const PRE_TIMEOUT_BOOKMARK_MS = 2_000;

/**
 * One client's watch stream: an async iterator fed synchronously by its WatchCache. Events pass
 * the namespace and selector filter with transitions (an object that stops matching is DELETED
 * with its previous state, one that starts matching is ADDED). Live events queue up to
 * `bufferSize`; a consumer that falls further behind is cut off (its stream ends and the client
 * re-watches from its last resourceVersion) so it never holds up the others. The stream also
 * ends on `signal`, on `timeoutMs`, and when the cache closes. Event objects are frozen: they are
 * shared between watchers.
 */
export class Watcher implements AsyncIterableIterator<WatchEvent>, WatchSink {
  private initial: KObject[];
  private initialHead = 0;
  private queue: WatchEvent[] = [];
  private head = 0;
  private waiter?: (r: IteratorResult<WatchEvent>) => void;
  private ended = false;
  /** Revision of the last event queued (bookmarks never go below it). */
  private lastRev: number;
  private elapsedMs = 0;
  private cancelTimers: Array<() => void> = [];
  private readonly onAbort = (): void => this.end();

  constructor(private readonly o: WatcherOptions) {
    this.initial = o.initial;
    this.lastRev = o.after;
    o.signal.addEventListener('abort', this.onAbort, { once: true });
    if (o.timeoutMs !== undefined) this.cancelTimers.push(o.timers.setTimeout(() => this.end(), o.timeoutMs));
    if (o.bookmarks) this.scheduleBookmark();
  }

  offer(c: Change, memo: DispatchMemo): void {
    if (this.ended || c.kv.modRevision <= this.o.after || !c.kv.key.startsWith(this.o.keyPrefix)) return;
    const ev = toEvent(this.o.def, this.o.filter, c, memo);
    if (!ev) return;
    this.lastRev = c.kv.modRevision;
    this.push(ev);
  }

  close(): void {
    this.end();
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    if (this.initialHead < this.initial.length) {
      return Promise.resolve({ done: false, value: { type: 'ADDED', object: this.initial[this.initialHead++] } });
    }
    if (this.head < this.queue.length) {
      const value = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as WatchEvent;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<WatchEvent>> {
    this.end();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private push(ev: WatchEvent): void {
    if (this.waiter && this.initialHead >= this.initial.length) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ done: false, value: ev });
      return;
    }
    if (this.queue.length - this.head >= this.o.bufferSize) {
      this.end();
      return;
    }
    this.queue.push(ev);
  }

  private scheduleBookmark(): void {
    let delay = this.o.bookmarkIntervalMs;
    if (this.o.timeoutMs !== undefined) {
      const preTimeout = this.o.timeoutMs - PRE_TIMEOUT_BOOKMARK_MS - this.elapsedMs;
      if (preTimeout <= 0) return;
      delay = Math.min(delay, preTimeout);
    }
    this.cancelTimers.push(
      this.o.timers.setTimeout(() => {
        this.elapsedMs += delay;
        if (this.ended) return;
        this.lastRev = Math.max(this.lastRev, this.o.cache.freshRevision);
        const { def } = this.o;
        this.push({ type: 'BOOKMARK', object: deepFreeze({ kind: def.kind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(this.lastRev) } }) });
        this.scheduleBookmark();
      }, delay),
    );
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.o.cache.unregister(this);
    this.o.signal.removeEventListener('abort', this.onAbort);
    for (const cancel of this.cancelTimers) cancel();
    this.cancelTimers = [];
    this.queue = [];
    this.head = 0;
    this.initial = [];
    this.initialHead = 0;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(DONE);
    }
  }
}

/**
 * The event one watcher sees for a change, or undefined. Decoded objects are memoised per
 * change and kind, so a change fans out to any number of watchers with one decode.
 */
function toEvent(def: ResourceDef, filter: ObjectFilter, c: Change, memo: DispatchMemo): WatchEvent | undefined {
  let m = memo.get(def);
  if (!m) memo.set(def, (m = {}));
  const cur = (m.cur ??= deepFreeze(decode(def, c.kv.value, c.kv.modRevision))) as KObject;
  if (c.type === 'delete') return filter.matches(cur) ? { type: 'DELETED', object: cur } : undefined;
  const curOk = filter.matches(cur);
  if (!c.prevKv) return curOk ? { type: 'ADDED', object: cur } : undefined;
  if (filter.empty) return { type: 'MODIFIED', object: cur };
  // The previous state at this change's revision: what a watcher that stops matching gets as DELETED.
  const prev = (m.prev ??= deepFreeze(decode(def, c.prevKv.value, c.kv.modRevision))) as KObject;
  const prevOk = filter.matches(prev);
  if (curOk) return { type: prevOk ? 'MODIFIED' : 'ADDED', object: cur };
  return prevOk ? { type: 'DELETED', object: prev } : undefined;
}
