import type { Logger } from '../pkg/util/index.ts';

/**
 * SIGINT/SIGTERM abort the returned signal (clean shutdown); a second signal exits at once,
 * for the user whose shutdown hangs.
 */
export function onShutdownSignals(log: Logger): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) {
      log.warn('second signal, exiting now', { signal: sig });
      process.exit(130);
    }
    log.info('shutting down', { signal: sig });
    ac.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ac.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
