import type { Change } from './backend.ts';
import { WatcherOverflowError } from './errors.ts';
import type { Clock } from './options.ts';
import type { WatchEvent } from './store.ts';
import type { Subscriber, WatchHub } from './watch-hub.ts';

const DONE: IteratorResult<WatchEvent> = { done: true, value: undefined };

/**
 * One watch: replays `(after, until]` page by page (until = the hub's revision at registration),
 * then yields live changes, which the hub pushes into a bounded queue meanwhile. Registration and
 * the choice of `until` happen in the constructor, synchronously, so nothing falls between the
 * replay and the live stream. One `next()` at a time, as `for await` does.
 */
export class Watcher implements AsyncIterator<WatchEvent>, Subscriber {
  private cursor: number;
  private readonly until: number;
  private page: Change[] = [];
  private pageHead = 0;
  private live: Change[] = [];
  private liveHead = 0;
  private waiter?: { resolve(r: IteratorResult<WatchEvent>): void; reject(e: unknown): void };
  private failure?: Error;
  private finished = false;
  private cancelProgress?: () => void;
  private readonly onAbort = (): void => this.end();

  constructor(
    private readonly hub: WatchHub,
    readonly prefix: string,
    after: number,
    private readonly opts: { signal: AbortSignal; progressIntervalMs?: number; queueLimit: number; clock: Clock },
  ) {
    this.cursor = after;
    this.until = Math.max(after, hub.revision);
    if (opts.signal.aborted) {
      this.finished = true;
      return;
    }
    hub.subscribe(this);
    opts.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  deliver(c: Change): void {
    if (this.finished || this.failure || c.kv.modRevision <= this.until) return;
    if (this.waiter) {
      this.resolve({ done: false, value: c });
      return;
    }
    if (this.live.length - this.liveHead >= this.opts.queueLimit) {
      this.fail(new WatcherOverflowError(this.prefix, this.opts.queueLimit));
      return;
    }
    this.live.push(c);
  }

  end(): void {
    if (this.finished) return;
    this.release();
    if (this.waiter) this.resolve(DONE);
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    if (this.failure) {
      const err = this.failure;
      this.failure = undefined;
      return Promise.reject(err);
    }
    if (this.finished) return Promise.resolve(DONE);
    try {
      const c = this.take();
      if (c) return Promise.resolve({ done: false, value: c });
    } catch (err) {
      this.release();
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      const ms = this.opts.progressIntervalMs;
      if (ms && ms > 0) this.cancelProgress = this.opts.clock.setTimeout(() => this.progress(), ms);
    });
  }

  return(): Promise<IteratorResult<WatchEvent>> {
    this.end();
    return Promise.resolve(DONE);
  }

  /** The next queued change: replay pages first, then live ones. Throws CompactedError. */
  private take(): Change | undefined {
    while (this.pageHead >= this.page.length && this.cursor < this.until) {
      const { changes, through } = this.hub.replayPage(this.prefix, this.cursor, this.until);
      this.page = changes;
      this.pageHead = 0;
      this.cursor = through;
    }
    if (this.pageHead < this.page.length) return this.page[this.pageHead++];
    if (this.liveHead < this.live.length) {
      const c = this.live[this.liveHead];
      this.live[this.liveHead++] = undefined as unknown as Change;
      if (this.liveHead === this.live.length) {
        this.live = [];
        this.liveHead = 0;
      }
      return c;
    }
    return undefined;
  }

  private progress(): void {
    this.cancelProgress = undefined;
    if (this.waiter) this.resolve({ done: false, value: { type: 'progress', revision: this.hub.revision } });
  }

  private resolve(r: IteratorResult<WatchEvent>): void {
    const w = this.waiter!;
    this.waiter = undefined;
    this.cancelProgress?.();
    this.cancelProgress = undefined;
    w.resolve(r);
  }

  /** Cuts the watcher off: the error is thrown by the pending or the next `next()`. */
  private fail(err: Error): void {
    this.release();
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(err);
    } else {
      this.failure = err;
    }
  }

  private release(): void {
    this.finished = true;
    this.hub.unsubscribe(this);
    this.opts.signal.removeEventListener('abort', this.onAbort);
    this.cancelProgress?.();
    this.cancelProgress = undefined;
    this.page = [];
    this.live = [];
    this.liveHead = 0;
  }
}
