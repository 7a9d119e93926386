import type { WriteOptions } from '../request.ts';
import { isConflict } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { ResourceClient } from './client.ts';

export interface GuaranteedUpdateOptions extends WriteOptions {
  /** Tries in all, first included (default 5, as client-go's retry.DefaultRetry). */
  attempts?: number;
}

/** Returns the next state of `current` (a private copy it may change), or undefined for "no change". */
export type Mutate<T> = (current: T) => T | undefined | Promise<T | undefined>;

/**
 * Read-modify-write with optimistic concurrency (client-go's RetryOnConflict around Get+Update):
 * reads the object, lets `mutate` change a copy, and writes it with the read's resourceVersion as
 * precondition. A 409 Conflict (someone wrote in between) re-reads and mutates again, up to
 * `attempts` times; the last Conflict is thrown after that. `mutate` returning undefined writes
 * nothing and resolves with the object as read. Other errors (404 included) are thrown at once.
 * `mutate` may run several times, so it must not have side effects it cannot repeat.
 */
export function guaranteedUpdate<T extends KObject>(rc: ResourceClient<T>, namespace: string | undefined, name: string, mutate: Mutate<T>, opts: GuaranteedUpdateOptions = {}): Promise<T> {
  return retry(rc, namespace, name, mutate, opts, (ns, obj, o) => rc.update(ns, obj, o));
}

/** {@link guaranteedUpdate} through the status subresource: only `.status` of the result is written. */
export function guaranteedUpdateStatus<T extends KObject>(rc: ResourceClient<T>, namespace: string | undefined, name: string, mutate: Mutate<T>, opts: GuaranteedUpdateOptions = {}): Promise<T> {
  return retry(rc, namespace, name, mutate, opts, (ns, obj, o) => rc.updateStatus(ns, obj, o));
}

async function retry<T extends KObject>(
  rc: ResourceClient<T>,
  namespace: string | undefined,
  name: string,
  mutate: Mutate<T>,
  { attempts = 5, ...options }: GuaranteedUpdateOptions,
  write: (namespace: string | undefined, obj: T, options: WriteOptions) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await rc.get(namespace, name);
    const next = await mutate(structuredClone(current));
    if (next === undefined) return current;
    next.metadata = { ...next.metadata, resourceVersion: current.metadata.resourceVersion };
    try {
      return await write(namespace, next, options);
    } catch (err) {
      if (!isConflict(err) || attempt >= attempts) throw err;
    }
  }
}
