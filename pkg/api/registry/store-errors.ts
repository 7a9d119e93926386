import { CompactedError, ConflictError, FutureRevisionError, KeyExistsError, NotFoundError, StoreClosedError } from '../../store/index.ts';
import type { ResourceDef } from '../resource.ts';
import { alreadyExists, conflict, expired, internalError, notFound, timeout } from '../status.ts';
import { groupResourceOf } from './meta.ts';

/** 504 for a read at a revision the store has not reached (apimachinery's TooLargeResourceVersion). */
export const tooLargeResourceVersion = (requested: number, current: number) =>
  timeout(`Too large resource version: ${requested}, current: ${current}`);

export const tooOldResourceVersion = (requested: number, oldest: number) => expired(`too old resource version: ${requested} (${oldest})`);

/** Maps the store's own errors to Status errors (STYLE.md B6); anything else passes through. */
export function fromStoreError(err: unknown, def: ResourceDef, name: string): unknown {
  if (err instanceof KeyExistsError) return alreadyExists(groupResourceOf(def), name);
  if (err instanceof ConflictError) return conflict(groupResourceOf(def), name);
  if (err instanceof NotFoundError) return notFound(groupResourceOf(def), name);
  if (err instanceof FutureRevisionError) return tooLargeResourceVersion(err.requestedRevision, err.currentRevision);
  if (err instanceof CompactedError) return tooOldResourceVersion(err.requestedRevision, err.compactRevision);
  if (err instanceof StoreClosedError) return internalError('the storage is closed');
  return err;
}
