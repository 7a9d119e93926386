import type { Clock, StoreLogger } from './options.ts';

/**
 * The apiserver's compaction schedule, built in: every `intervalMs` compact to the revision that
 * was current one interval earlier (so about one interval of history stays), never touching the
 * newest `minRetain` revisions. A tick with nothing new to compact does nothing at all — no
 * disk access — so an idle store stays idle.
 */
export class Compactor {
  private previous: number | undefined;
  private cancel?: () => void;
  private stopped = false;

  constructor(
    private readonly deps: {
      clock: Clock;
      intervalMs: number;
      minRetain: number;
      logger: StoreLogger;
      currentRevision(): number;
      compactRevision(): number;
      compact(revision: number): Promise<void>;
    },
  ) {}

  start(): void {
    if (this.deps.intervalMs <= 0) return;
    this.previous = this.deps.currentRevision();
    this.schedule();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.stopped = true;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.cancel = this.deps.clock.setTimeout(() => void this.tick(), this.deps.intervalMs);
  }

  private async tick(): Promise<void> {
    const d = this.deps;
    const current = d.currentRevision();
    const target = Math.min(this.previous ?? 0, current - d.minRetain);
    this.previous = current;
    try {
      if (target > d.compactRevision()) {
        await d.compact(target);
        d.logger.debug('compacted', { revision: target, current });
      }
    } catch (err) {
      d.logger.warn('compaction failed', { revision: target, err });
    }
    this.schedule();
  }
}
