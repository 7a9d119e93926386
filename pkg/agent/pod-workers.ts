/**
 * Runs one sync per pod at a time (client-go's work queue contract, per key): scheduling a pod
 * that is being synced makes it run once more afterwards; scheduling it many times while it
 * waits runs it once; a delayed schedule never postpones an earlier one.
 */
export class PodWorkers {
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, { at: number; cancel: () => void }>();
  private stopped = false;
  private readonly idle = new Set<() => void>();

  constructor(private readonly sync: (key: string) => Promise<void>, private readonly onError: (key: string, err: unknown) => void) {}

  schedule(key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      const at = Date.now() + delayMs;
      const t = this.timers.get(key);
      if (t && t.at <= at) return;
      t?.cancel();
      const h = setTimeout(() => {
        this.timers.delete(key);
        this.schedule(key);
      }, delayMs);
      h.unref();
      this.timers.set(key, { at, cancel: () => clearTimeout(h) });
      return;
    }
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    this.running.add(key);
    void this.run(key);
  }

  private async run(key: string): Promise<void> {
    try {
      await this.sync(key);
    } catch (err) {
      this.onError(key, err);
    }
    this.running.delete(key);
    if (this.again.delete(key)) this.schedule(key);
    if (this.running.size === 0) for (const f of this.idle) f();
  }

  /** Stops scheduling; resolves when running syncs have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.again.clear();
    if (this.running.size === 0) return;
    await new Promise<void>((resolve) => {
      const f = () => {
        this.idle.delete(f);
        resolve();
      };
      this.idle.add(f);
    });
  }
}
