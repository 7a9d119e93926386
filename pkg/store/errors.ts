import type { KV } from './store.ts';

export type StoreErrorCode =
  | 'ERR_STORE_KEY_EXISTS'
  | 'ERR_STORE_CONFLICT'
  | 'ERR_STORE_NOT_FOUND'
  | 'ERR_STORE_COMPACTED'
  | 'ERR_STORE_FUTURE_REVISION'
  | 'ERR_STORE_WATCHER_OVERFLOW'
  | 'ERR_STORE_CLOSED'
  | 'ERR_STORE_LOCKED'
  | 'ERR_STORE_URL'
  | 'ERR_STORE_INVALID';

/**
 * Base of every error the store throws on purpose. `code` is stable and meant for callers to
 * switch on (the API layer maps codes to Kubernetes Status reasons); messages are for humans.
 * Driver failures (I/O, corruption) are wrapped as `cause` of a StoreError only where the store
 * adds context; otherwise they propagate as they are.
 */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class KeyExistsError extends StoreError {
  override name = 'KeyExistsError';
  constructor(readonly key: string) {
    super('ERR_STORE_KEY_EXISTS', `key "${key}" already exists`);
  }
}

/** A compare-and-swap failed; `current` is the live value the write lost against. */
export class ConflictError extends StoreError {
  override name = 'ConflictError';
  constructor(
    readonly key: string,
    readonly expectedModRevision: number,
    readonly current?: KV,
  ) {
    super(
      'ERR_STORE_CONFLICT',
      `key "${key}" was modified: expected revision ${expectedModRevision}, found ${current?.modRevision ?? 'none'}`,
    );
  }
}

export class NotFoundError extends StoreError {
  override name = 'NotFoundError';
  constructor(readonly key: string) {
    super('ERR_STORE_NOT_FOUND', `key "${key}" not found`);
  }
}

/** The requested revision is no longer held (compacted, or lost across a restart). */
export class CompactedError extends StoreError {
  override name = 'CompactedError';
  constructor(
    readonly requestedRevision: number,
    readonly compactRevision: number,
    readonly currentRevision: number,
  ) {
    super(
      'ERR_STORE_COMPACTED',
      `revision ${requestedRevision} has been compacted (oldest available ${compactRevision}, current ${currentRevision})`,
    );
  }
}

export class FutureRevisionError extends StoreError {
  override name = 'FutureRevisionError';
  constructor(
    readonly requestedRevision: number,
    readonly currentRevision: number,
  ) {
    super('ERR_STORE_FUTURE_REVISION', `revision ${requestedRevision} is newer than the current revision ${currentRevision}`);
  }
}

/** A watcher's queue filled up because its consumer fell behind; it was cut off. */
export class WatcherOverflowError extends StoreError {
  override name = 'WatcherOverflowError';
  constructor(
    readonly prefix: string,
    readonly limit: number,
  ) {
    super('ERR_STORE_WATCHER_OVERFLOW', `watch on "${prefix}" fell more than ${limit} events behind and was closed`);
  }
}

export class StoreClosedError extends StoreError {
  override name = 'StoreClosedError';
  constructor() {
    super('ERR_STORE_CLOSED', 'the store is closed');
  }
}
