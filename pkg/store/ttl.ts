import type { TtlEntry } from './backend.ts';
import type { Clock } from './options.ts';

/** After a sweep, wait at least this long for the next: expiries within it share one commit. */
const SWEEP_GAP_MS = 1000;

/**
 * Expires keys at their absolute `expiresAt`: a min-heap of (expiresAt, key, modRevision) and one
 * timer for the earliest entry. Entries are never removed when a key changes; the `expire`
 * callback receives everything that is due and must check that the key still has that
 * modRevision (stale entries are dropped there). Expiry may run up to about a second late so that
 * bursts of expiries are deleted in one transaction.
 */
export class TtlScheduler {
  private readonly heap: TtlEntry[] = [];
  private timerAt = Infinity;
  private cancel?: () => void;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly expire: (due: TtlEntry[]) => void,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  track(e: TtlEntry): void {
    if (this.stopped) return;
    push(this.heap, e);
    if (e.expiresAt < this.timerAt) this.arm(Math.max(0, e.expiresAt - this.clock.now()));
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.heap.length = 0;
  }

  private arm(delay: number): void {
    this.cancel?.();
    this.timerAt = this.clock.now() + delay;
    this.cancel = this.clock.setTimeout(() => this.sweep(), delay);
  }

  private sweep(): void {
    this.cancel = undefined;
    this.timerAt = Infinity;
    if (this.stopped) return;
    const now = this.clock.now();
    const due: TtlEntry[] = [];
    while (this.heap.length > 0 && this.heap[0].expiresAt <= now) due.push(pop(this.heap));
    if (due.length > 0) this.expire(due);
    if (this.heap.length > 0) this.arm(Math.max(this.heap[0].expiresAt - now, SWEEP_GAP_MS));
  }
}

function push(h: TtlEntry[], e: TtlEntry): void {
  h.push(e);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p].expiresAt <= h[i].expiresAt) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}

function pop(h: TtlEntry[]): TtlEntry {
  const top = h[0];
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l].expiresAt < h[m].expiresAt) m = l;
      if (r < h.length && h[r].expiresAt < h[m].expiresAt) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  return top;
}
