import { ConflictError, NotFoundError, type KV } from '../../store/index.ts';
import type { ApiRequest, WriteResult } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { isNotFound, notFound } from '../status.ts';
import type { DeleteOptions, KList, KObject } from '../types/index.ts';
import { decode, encode } from './codec.ts';
import type { RegistryContext } from './context.ts';
import { checkPreconditions, planDelete, validateDeleteOptions } from './delete-plan.ts';
import { readCurrent } from './get.ts';
import { listObjects } from './list.ts';
import { apiVersionOf, deepEqual, groupResourceOf, isCore } from './meta.ts';
import { deleteNamespace } from './namespaces.ts';
import { fromStoreError } from './store-errors.ts';

/** A delete's outcome. `deleted`: the object is gone (with dryRun: would be), not merely marked. */
export interface DeleteResult extends WriteResult {
  deleted?: boolean;
}

/**
 * DELETE of one object (kubectl-api.md §14; planning in delete-plan.ts). Returns the last state
 * when the object is gone now, else the object as marked for deletion. Preconditions (uid,
 * resourceVersion) are checked against the state each attempt acts on.
 */
export async function deleteObject(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, name: string, opts: DeleteOptions): Promise<DeleteResult> {
  const dryRun = validateDeleteOptions(opts);
  if (isCore(def, 'namespaces')) return deleteNamespace(ctx, def, name, opts, dryRun);
  const read = await readCurrent(ctx, def, namespace, name);
  let kv: KV | undefined = read.kv;
  for (;;) {
    if (!kv) throw notFound(groupResourceOf(def), name);
    const cur = decode(def, kv.value, kv.modRevision);
    checkPreconditions(def, cur, opts.preconditions);
    const plan = planDelete(def, cur, opts, ctx.now());
    if (plan.action === 'pending') return { object: cur };
    try {
      if (plan.action === 'update') {
        if (deepEqual(plan.obj, cur)) return { object: cur };
        if (dryRun) return { object: decode(def, encode(def, plan.obj), kv.modRevision) };
        const next = await ctx.store.update(read.key, encode(def, plan.obj), kv.modRevision);
        return { object: decode(def, next.value, next.modRevision) };
      }
      if (dryRun) return { object: cur, deleted: true };
      const tomb = await ctx.store.delete(read.key, kv.modRevision);
      return { object: decode(def, tomb.value, tomb.modRevision), deleted: true };
    } catch (err) {
      if (err instanceof ConflictError) kv = err.current ?? (await ctx.store.get(read.key));
      else if (err instanceof NotFoundError) kv = undefined;
      else throw fromStoreError(err, def, name);
    }
  }
}

const DELETE_COLLECTION_WORKERS = 16;

/**
 * deletecollection: list with the request's selectors (all pages), then delete each item with
 * the DeleteOptions, a few at a time. Items that vanish meanwhile are skipped. Returns the
 * deleted (or marked) objects as a list, as upstream.
 */
export async function deleteCollection(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'deletecollection' }>): Promise<KList> {
  const { def } = req;
  validateDeleteOptions(req.options);
  const list = await listObjects(ctx, def, req.namespace, { ...req.listOptions, limit: undefined, continue: undefined });
  const results: Array<KObject | undefined> = new Array(list.items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.items.length) {
      const i = next++;
      const item = list.items[i];
      try {
        results[i] = (await deleteObject(ctx, def, item.metadata.namespace, item.metadata.name!, req.options)).object;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_COLLECTION_WORKERS, list.items.length) }, worker));
  return { apiVersion: apiVersionOf(def), kind: `${def.kind}List`, metadata: { resourceVersion: String(ctx.store.currentRevision()) }, items: results.filter((o) => o !== undefined) };
}
