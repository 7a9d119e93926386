import type { Logger } from './log.ts';

/**
 * A long-running part of a skiff process (store, API server, controllers, agent …).
 *
 * Lifecycle (k0s's component manager, simplified):
 *
 *     start(signal) ──resolves──▶ running ──stop()──▶ stopped
 *
 * - `start` resolves once the component is ready to be used by the next one (the store is open,
 *   the API listens); it must not wait for shutdown. It rejects if the component cannot start.
 * - `signal` aborts when the process is shutting down; background loops watch it.
 * - `stop` releases everything `start` acquired; it is called once, only after `start` resolved,
 *   and components are stopped in the reverse of their start order.
 */
export interface Component {
  name: string;
  start(signal: AbortSignal): Promise<void>;
  stop?(): Promise<void>;
}

/**
 * Starts components in order, then waits until `signal` aborts and stops them in reverse order.
 * If one fails to start, those already started are stopped (reverse order) and the error is rethrown.
 * A failing `stop` is logged and does not prevent the others from stopping.
 */
export async function runComponents(components: Component[], signal: AbortSignal, log: Logger): Promise<void> {
  const started: Component[] = [];
  try {
    for (const c of components) {
      if (signal.aborted) break;
      const t0 = performance.now();
      await c.start(signal);
      started.push(c);
      log.info('component started', { component: c.name, ms: Math.round(performance.now() - t0) });
    }
    if (!signal.aborted) {
      // An abort listener alone does not keep Node's event loop alive; a process whose components
      // hold no handle (a store with nothing to do) would otherwise exit on its own.
      const keepAlive = setInterval(() => {}, 1 << 30);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      clearInterval(keepAlive);
    }
  } finally {
    await stopAll(started, log);
  }
}

async function stopAll(started: Component[], log: Logger): Promise<void> {
  for (const c of started.reverse()) {
    try {
      await c.stop?.();
      log.info('component stopped', { component: c.name });
    } catch (err) {
      log.error('component failed to stop', { component: c.name, err });
    }
  }
}
