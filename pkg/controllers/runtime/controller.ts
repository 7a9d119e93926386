import type { Component, Logger } from '../../util/index.ts';
import type { WorkQueue } from './work-queue.ts';

/**
 * The one controller shape (STYLE.md B4): informer handlers add keys, `workers` loops take keys
 * and call `reconcile(key)`, which reads the informers' caches and writes through the client.
 * A throwing reconcile is retried with back-off; a successful one forgets the key's failures.
 * `reconcile` may return a delay to be called again later (e.g. a deadline to check).
 */
export function controllerLoop(name: string, queue: WorkQueue, reconcile: (key: string) => Promise<number | void>, log: Logger, workers = 2): Component {
  const loops: Promise<void>[] = [];
  const work = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const after = await reconcile(key);
        queue.forget(key);
        if (typeof after === 'number') queue.addAfter(key, after);
      } catch (err) {
        log.warn('reconcile failed; retrying', { controller: name, key, retries: queue.retries(key), err: (err as Error).message });
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  return {
    name,
    async start() {
      for (let i = 0; i < workers; i++) loops.push(work());
    },
    async stop() {
      queue.shutDown();
      await Promise.all(loops);
    },
  };
}
