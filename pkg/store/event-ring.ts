import type { Change } from './backend.ts';

const MAX_RING_CHARS = 8 * 1024 * 1024; // UTF-16 units, ~16 MiB: bounds memory on a Pi with big objects

/**
 * The most recent committed changes, oldest first, bounded by count and by value size.
 * Invariant: the ring holds every change with revision > `completeAfter`.
 */
export class EventRing {
  private buf: Change[] = [];
  private head = 0;
  private chars = 0;

  constructor(
    private readonly capacity: number,
    public completeAfter: number,
  ) {}

  get size(): number {
    return this.buf.length - this.head;
  }

  push(c: Change): void {
    this.buf.push(c);
    this.chars += weight(c);
    while (this.size > 0 && (this.size > this.capacity || this.chars > MAX_RING_CHARS)) {
      const old = this.buf[this.head];
      this.buf[this.head++] = undefined as unknown as Change;
      this.chars -= weight(old);
      this.completeAfter = old.kv.modRevision;
    }
    if (this.head > 4096 && this.head * 2 > this.buf.length) {
      this.buf = this.buf.slice(this.head);
      this.head = 0;
    }
  }

  /** Changes under `prefix` with `after < revision <= until`, at most `max` of them. */
  slice(prefix: string, after: number, until: number, max: number): Change[] {
    let lo = this.head;
    let hi = this.buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.buf[mid].kv.modRevision <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: Change[] = [];
    for (let i = lo; i < this.buf.length && out.length < max; i++) {
      const c = this.buf[i];
      if (c.kv.modRevision > until) break;
      if (c.kv.key.startsWith(prefix)) out.push(c);
    }
    return out;
  }
}

function weight(c: Change): number {
  return c.kv.key.length + c.kv.value.length + (c.prevKv?.value.length ?? 0) + 64;
}
