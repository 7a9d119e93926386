import type { KObject } from '../types/index.ts';
import type { Client } from './client.ts';
import { createInformer, type Informer, type InformerOptions } from './informer.ts';

/** What selects one shared informer besides its resource. */
export interface InformerSelection {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * Shared informers for a set of components (client-go's SharedInformerFactory): one informer per
 * (apiVersion, plural, namespace, label selector, field selector), however many callers ask.
 * `start()` starts every informer made so far, and after it any new one at once; `stop()` stops
 * them all and waits for their loops to end.
 */
export interface InformerFactory {
  informer<T extends KObject = KObject>(apiVersion: string, plural: string, selection?: InformerSelection): Informer<T>;
  start(): void;
  /** Resolves true when every informer made so far has synced; false if `signal` aborts or one stops first. */
  waitForSync(signal?: AbortSignal): Promise<boolean>;
  stop(): Promise<void>;
}

/** `defaults` apply to every informer the factory makes (resync period, back-off, timers, log). */
export function createInformerFactory(client: Client, defaults: Omit<InformerOptions, keyof InformerSelection> = {}): InformerFactory {
  const informers = new Map<string, Informer>();
  let started = false;
  let stopped = false;
  return {
    informer<T extends KObject = KObject>(apiVersion: string, plural: string, selection: InformerSelection = {}): Informer<T> {
      const key = JSON.stringify([apiVersion, plural, selection.namespace ?? '', selection.labelSelector ?? '', selection.fieldSelector ?? '']);
      let inf = informers.get(key);
      if (!inf) {
        inf = createInformer(client.resource(apiVersion, plural), { ...defaults, ...selection, apiVersion, plural });
        informers.set(key, inf);
        if (started && !stopped) inf.start();
      }
      return inf as unknown as Informer<T>;
    },
    start() {
      if (stopped) return;
      started = true;
      for (const inf of informers.values()) inf.start();
    },
    async waitForSync(signal) {
      const results = await Promise.all([...informers.values()].map((inf) => inf.waitForSync(signal)));
      return results.every(Boolean);
    },
    async stop() {
      stopped = true;
      await Promise.all([...informers.values()].map((inf) => inf.stop()));
    },
  };
}
