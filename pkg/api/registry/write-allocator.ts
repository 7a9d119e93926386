import type { Store } from '../../store/index.ts';
import type { ResourceDef } from '../resource.ts';
import { invalid, type FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { RegistryContext } from './context.ts';

/**
 * A kind whose writes take values from a shared pool (a Service's cluster IP and node ports).
 * The registry runs each create, update and patch of a covered kind inside `exclusive`, so the
 * allocator can read what the stored objects hold, hand out values, and have the write land
 * before the next one looks. `assign` runs after validation, synchronously, inside that write.
 */
export interface WriteAllocator {
  covers(def: ResourceDef): boolean;
  exclusive<T>(store: Store, def: ResourceDef, write: () => Promise<T>): Promise<T>;
  /** Fills in and checks `obj`'s allocated values (`old`: the stored object on updates). */
  assign(obj: KObject, old: KObject | undefined): FieldError[];
}

/** Runs the allocator on a main-resource write; 422 when a requested value cannot be had. */
export function allocateValues(ctx: RegistryContext, def: ResourceDef, obj: KObject, old: KObject | undefined): void {
  const a = ctx.allocator;
  if (!a?.covers(def)) return;
  const errs = a.assign(obj, old);
  if (errs.length) throw invalid(def.group, def.kind, obj.metadata.name ?? '', errs);
}

/** `write` under the allocator's lock when `def` is covered; as is otherwise. */
export function allocating<T>(ctx: RegistryContext, def: ResourceDef, write: () => Promise<T>): Promise<T> {
  const a = ctx.allocator;
  return a?.covers(def) ? a.exclusive(ctx.store, def, write) : write();
}
