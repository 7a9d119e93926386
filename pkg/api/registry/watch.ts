import type { WatchOptions } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import type { StatusError } from '../status.ts';
import type { KObject, WatchEvent } from '../types/index.ts';
import { decode } from './codec.ts';
import type { RegistryContext } from './context.ts';
import { compileFilter } from './filter.ts';
import { collectionPrefix } from './keys.ts';
import { deepFreeze } from './meta.ts';
import { parseRevision, validateListOptions } from './resource-version.ts';
import { collectionNamespace } from './scope.ts';
import { fromStoreError, tooOldResourceVersion } from './store-errors.ts';
import { Watcher } from './watcher.ts';

// A list for the initial state is retried when the ring moved past it meanwhile (a write storm).
const INITIAL_LIST_ATTEMPTS = 3;

/**
 * WATCH (kubectl-api.md §9). resourceVersion unset or "0": synthetic ADDED events for the current
 * state (read at revision R), then every change after R — no gap, no duplicate. resourceVersion N:
 * the changes after N; N older than the resource's ring → one ERROR event (410 Expired, "too old
 * resource version"), then the end. Bad selectors reject the promise with 400.
 */
export async function watchObjects(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, opts: WatchOptions): Promise<AsyncIterable<WatchEvent>> {
  validateListOptions(opts, true);
  const filter = compileFilter(def, opts.labelSelector, opts.fieldSelector);
  const keyPrefix = collectionPrefix(def, collectionNamespace(def, namespace));
  const rv = opts.resourceVersion;
  const requested = rv && rv !== '0' ? parseRevision(rv) : undefined;
  const cache = ctx.hub.cache(def);
  if (!cache || opts.signal.aborted) return ended();

  let after = requested ?? 0;
  let initial: KObject[] = [];
  if (requested === undefined) {
    for (let attempt = 1; ; attempt++) {
      let res;
      try {
        res = await ctx.store.list(keyPrefix);
      } catch (err) {
        throw fromStoreError(err, def, '');
      }
      after = res.revision;
      if (after >= cache.oldest || attempt >= INITIAL_LIST_ATTEMPTS) {
        initial = res.items.map((kv) => deepFreeze(decode(def, kv.value, kv.modRevision))).filter((o) => filter.matches(o));
        break;
      }
    }
  }
  const watcher = new Watcher({
    def,
    keyPrefix,
    filter,
    after,
    initial,
    cache,
    signal: opts.signal,
    timers: ctx.timers,
    bufferSize: ctx.tuning.watcherBufferSize,
    bookmarks: !!opts.allowWatchBookmarks,
    bookmarkIntervalMs: ctx.tuning.bookmarkIntervalMs,
    timeoutMs: opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0 ? opts.timeoutSeconds * 1000 : undefined,
  });
  const registered = cache.register(watcher, after);
  if (registered === 'ok') return watcher;
  watcher.close();
  return registered === 'expired' ? errorEvent(tooOldResourceVersion(after, cache.oldest)) : ended();
}

function errorEvent(err: StatusError): AsyncIterable<WatchEvent> {
  const object = deepFreeze({ ...err.status, metadata: err.status.metadata ?? {} }) as unknown as KObject;
  return {
    async *[Symbol.asyncIterator]() {
      yield { type: 'ERROR', object };
    },
  };
}

function ended(): AsyncIterable<WatchEvent> {
  return {
    async *[Symbol.asyncIterator]() {
      // An aborted or closed watch has nothing to say.
    },
  };
}
