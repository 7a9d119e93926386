import type { Change } from './backend.ts';
import { CompactedError } from './errors.ts';
import { EventRing } from './event-ring.ts';

const MAX_RING_CHARS = 8 * 1024 * 1024; // UTF-16 units, ~16 MiB: bounds memory on a Pi with big objects

/** Replay window sizes: bound the work (and event-loop blocking) of one page. */
const PAGE_EVENTS = 1000;
const PAGE_REVISIONS = 2000;

/** What the hub needs from the store: history below the ring and the compaction floor. */
export interface HistorySource {
  /** Changes under `prefix` in `(after, until]` from storage (after >= floor(prefix)). */
  replay(prefix: string, after: number, until: number): Change[];
  /** Lowest revision a watch on `prefix` may start after. */
  floor(prefix: string): number;
}

/** The hub's view of one watcher. */
export interface Subscriber {
  readonly prefix: string;
  /** Called synchronously for each matching change after commit. Must not throw or block. */
  deliver(c: Change): void;
  /** The store is closing. */
  end(): void;
}

/**
 * In-process fan-out of committed changes. Writers call `publish` right after COMMIT, in
 * revision order; the hub keeps a ring of recent changes and hands each change to the
 * subscribers whose prefix matches, synchronously, so a subscriber registered at revision R sees
 * exactly the changes after R. Subscribers are grouped by prefix: publishing costs one
 * `startsWith` per distinct watched prefix plus one push per interested subscriber.
 */
export class WatchHub {
  private readonly byPrefix = new Map<string, Set<Subscriber>>();
  private readonly ring: EventRing;
  private count = 0;

  constructor(
    /** Revision of the last published change (or the store's start revision). */
    public revision: number,
    ringSize: number,
    private readonly source: HistorySource,
  ) {
    this.ring = new EventRing(ringSize, MAX_RING_CHARS, revision);
  }

  get watchers(): number {
    return this.count;
  }

  get ringEvents(): number {
    return this.ring.size;
  }

  publish(changes: readonly Change[], revision: number): void {
    for (const c of changes) {
      this.ring.push(c);
      for (const [prefix, subs] of this.byPrefix) {
        if (c.kv.key.startsWith(prefix)) for (const s of subs) s.deliver(c);
      }
    }
    this.revision = revision;
  }

  subscribe(s: Subscriber): void {
    let set = this.byPrefix.get(s.prefix);
    if (!set) this.byPrefix.set(s.prefix, (set = new Set()));
    if (!set.has(s)) this.count++;
    set.add(s);
  }

  unsubscribe(s: Subscriber): void {
    const set = this.byPrefix.get(s.prefix);
    if (!set?.delete(s)) return;
    this.count--;
    if (set.size === 0) this.byPrefix.delete(s.prefix);
  }

  /**
   * The next page of history for a watcher at `after` that must catch up to `until`: changes in
   * `(after, through]`, with `after < through <= until`. From the ring when it reaches back that
   * far, else from storage. Throws CompactedError when `after` fell below the floor (also midway:
   * compaction can overtake a slow replay).
   */
  replayPage(prefix: string, after: number, until: number): { changes: Change[]; through: number } {
    const floor = this.source.floor(prefix);
    if (after < floor) throw new CompactedError(after, floor, this.revision);
    if (after >= this.ring.completeAfter) {
      const changes = this.ring.slice(prefix, after, until, PAGE_EVENTS);
      const through = changes.length === PAGE_EVENTS ? changes[changes.length - 1].kv.modRevision : until;
      return { changes, through };
    }
    const through = Math.min(until, after + PAGE_REVISIONS, this.ring.completeAfter);
    return { changes: this.source.replay(prefix, after, through), through };
  }

  closeAll(): void {
    for (const set of [...this.byPrefix.values()]) for (const s of [...set]) s.end();
    this.byPrefix.clear();
    this.count = 0;
  }
}
