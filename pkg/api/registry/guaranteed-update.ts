import { ConflictError, NotFoundError, type KV } from '../../store/index.ts';
import type { ResourceDef } from '../resource.ts';
import { conflict, notFound } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { decode, encode, withoutEmpty } from './codec.ts';
import type { RegistryContext } from './context.ts';
import { deepEqual, groupResourceOf } from './meta.ts';
import { fromStoreError } from './store-errors.ts';

/** The outcome of planning one write against the current object. */
export interface WritePlan {
  obj: KObject;
  /** Remove the object instead of writing `obj` (its last finalizer went). */
  deleteNow?: boolean;
}

// Each retry follows a write that won, so this bounds only pathological contention.
const MAX_ATTEMPTS = 1_000;

/**
 * apiserver's GuaranteedUpdate: read the current object, let `plan` compute the next state, and
 * compare-and-swap it in; on a lost race plan again against the winner's state (the store hands
 * it over with the ConflictError). `plan` is synchronous and pure, and throws StatusErrors (a
 * resourceVersion precondition in the planned object fails as 409 inside it). A plan equal to the
 * current object writes nothing and returns it unchanged, as upstream skips no-op writes.
 * `dryRun` runs everything but the write. `admit` runs after planning, before each write attempt. Returns the stored result (for a removal: the last state
 * at the delete's revision).
 */
export async function guaranteedUpdate(
  ctx: RegistryContext,
  def: ResourceDef,
  key: string,
  name: string,
  first: KV | undefined,
  plan: (cur: KObject) => WritePlan,
  dryRun: boolean,
  /** Validating admission of the planned object (not of removals or no-op writes); may throw a StatusError. */
  admit?: (next: KObject, cur: KObject) => Promise<void>,
): Promise<KObject> {
  let kv = first;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (!kv) throw notFound(groupResourceOf(def), name);
    const cur = decode(def, kv.value, kv.modRevision);
    const p = plan(cur);
    try {
      if (p.deleteNow) {
        if (dryRun) return cur;
        const tomb = await ctx.store.delete(key, kv.modRevision);
        return decode(def, tomb.value, tomb.modRevision);
      }
      const { resourceVersion: _a, ...nextMeta } = withoutEmpty(p.obj.metadata);
      const { resourceVersion: _b, ...curMeta } = cur.metadata;
      if (deepEqual({ ...p.obj, metadata: nextMeta }, { ...cur, metadata: curMeta })) return cur;
      if (admit) await admit(p.obj, cur);
      if (dryRun) return decode(def, encode(def, p.obj), kv.modRevision);
      const next = await ctx.store.update(key, encode(def, p.obj), kv.modRevision);
      return decode(def, next.value, next.modRevision);
    } catch (err) {
      if (err instanceof ConflictError) kv = err.current ?? (await ctx.store.get(key));
      else if (err instanceof NotFoundError) kv = undefined;
      else throw fromStoreError(err, def, name);
    }
  }
  throw conflict(groupResourceOf(def), name);
}
