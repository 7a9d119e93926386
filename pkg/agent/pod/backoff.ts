/**
 * The kubelet's restart back-off per container: 10 s after the first failure, doubling to at most
 * 5 minutes; a container that ran for 10 minutes without failing starts over at 10 s.
 * Keys are `<pod uid>/<container name>`. Time comes from the caller (fake clocks in tests).
 */
export class RestartBackoff {
  private readonly entries = new Map<string, { delayMs: number; lastFailure: number }>();

  constructor(private readonly initialMs = 10_000, private readonly maxMs = 300_000, private readonly resetAfterMs = 600_000) {}

  /**
   * Records a failure at `now` (a container that exited and must restart); returns the time
   * before which it must not be started again.
   */
  failed(key: string, now: number, ranSinceMs = 0): number {
    const e = this.entries.get(key);
    const delayMs = !e || ranSinceMs >= this.resetAfterMs || now - e.lastFailure >= this.resetAfterMs + e.delayMs
      ? this.initialMs
      : Math.min(e.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastFailure: now });
    return now + delayMs;
  }

  /** Whether `key` is still backing off at `now`, and for how much longer (ms). */
  remaining(key: string, now: number): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.lastFailure + e.delayMs - now) : 0;
  }

  /** The current delay, for upstream's message "back-off 40s restarting failed container=…". */
  delayMs(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  forget(keyPrefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(keyPrefix)) this.entries.delete(k);
  }
}
