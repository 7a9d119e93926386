import type { Change } from './backend.ts';

/**
 * The most recent committed changes, oldest first, bounded by count and by the size of the values
 * it keeps alive (the strings are the store's own, shared, not copied). Used by the store's watch
 * hub (every key) and by the registry's watch cache (one resource's prefix).
 * Invariant: the ring holds every change (of what it is fed) with revision > `completeAfter`.
 */
export class EventRing {
  private buf: Change[] = [];
  private head = 0;
  private chars = 0;

  /**
   * @param maxChars UTF-16 units of keys and values kept; the oldest changes go first past it.
   * @param minKeep changes kept even past the bounds (the registry keeps its newest one).
   */
  constructor(
    private readonly capacity: number,
    private readonly maxChars: number,
    public completeAfter: number,
    private readonly minKeep = 0,
  ) {}

  get size(): number {
    return this.buf.length - this.head;
  }

  push(c: Change): void {
    this.buf.push(c);
    this.chars += weight(c);
    while (this.size > this.minKeep && (this.size > this.capacity || this.chars > this.maxChars)) {
      const old = this.buf[this.head];
      this.buf[this.head++] = undefined as unknown as Change;
      this.chars -= weight(old);
      this.completeAfter = old.kv.modRevision;
    }
    if (this.head > 1024 && this.head * 2 > this.buf.length) {
      this.buf = this.buf.slice(this.head);
      this.head = 0;
    }
  }

  /** Changes with revision > `after` (callers check `after >= completeAfter` first). */
  since(after: number): Change[] {
    return this.buf.slice(this.firstAfter(after));
  }

  /** Changes under `prefix` with `after < revision <= until`, at most `max` of them. */
  slice(prefix: string, after: number, until: number, max: number): Change[] {
    const out: Change[] = [];
    for (let i = this.firstAfter(after); i < this.buf.length && out.length < max; i++) {
      const c = this.buf[i];
      if (c.kv.modRevision > until) break;
      if (c.kv.key.startsWith(prefix)) out.push(c);
    }
    return out;
  }

  /** Forgets everything: after a gap the ring is complete only from `revision` on. */
  reset(revision: number): void {
    this.buf = [];
    this.head = 0;
    this.chars = 0;
    this.completeAfter = revision;
  }

  private firstAfter(after: number): number {
    let lo = this.head;
    let hi = this.buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf[mid].kv.modRevision <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function weight(c: Change): number {
  return c.kv.key.length + c.kv.value.length + (c.prevKv?.value.length ?? 0) + 64;
}
