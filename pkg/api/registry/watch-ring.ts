import type { WatchEvent } from '../../store/index.ts';

/** A committed change of one key (the store's put/delete watch event). */
export type Change = Extract<WatchEvent, { type: 'put' | 'delete' }>;

/**
 * The recent changes under one storage prefix, oldest first, bounded by count and by the size of
 * the values it keeps alive (the strings are the store's own, shared, not copied).
 * Invariant: it holds every change of the prefix with revision > `completeAfter`.
 */
export class WatchRing {
  private buf: Change[] = [];
  private head = 0;
  private chars = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxChars: number,
    public completeAfter: number,
  ) {}

  get size(): number {
    return this.buf.length - this.head;
  }

  push(c: Change): void {
    this.buf.push(c);
    this.chars += weight(c);
    while (this.size > 1 && (this.size > this.capacity || this.chars > this.maxChars)) {
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
    let lo = this.head;
    let hi = this.buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf[mid].kv.modRevision <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.buf.slice(lo);
  }

  /** Forgets everything: after a gap the ring is complete only from `revision` on. */
  reset(revision: number): void {
    this.buf = [];
    this.head = 0;
    this.chars = 0;
    this.completeAfter = revision;
  }
}

function weight(c: Change): number {
  return c.kv.key.length + c.kv.value.length + (c.prevKv?.value.length ?? 0) + 64;
}
