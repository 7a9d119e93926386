/** Schedules `fn` once after `ms`; returns a cancel function. The store's Clock and the registry's Timers fit. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): () => void;
}

/** Real timers that never keep the process alive. */
export const realTimers: Timers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** Resolves after `ms` on `timers`, or at once when `signal` aborts. */
export function sleep(timers: Timers, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const cancel = timers.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      cancel();
      resolve();
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
