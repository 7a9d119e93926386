// The public surface of pkg/store: other packages import only this file.
export { openStore } from './open.ts';
export type { KV, WatchEvent, ListResult, ListOptions, WatchOptions, Store, StoreStats } from './store.ts';
export type { StoreOptions, Clock, StoreLogger } from './options.ts';
export { systemClock } from './options.ts';
export {
  StoreError,
  KeyExistsError,
  ConflictError,
  NotFoundError,
  CompactedError,
  FutureRevisionError,
  WatcherOverflowError,
  StoreClosedError,
} from './errors.ts';
export type { StoreErrorCode } from './errors.ts';
export { EventRing } from './event-ring.ts';
export type { Change } from './backend.ts';
