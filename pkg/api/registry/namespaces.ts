import { ConflictError, NotFoundError, type KV } from '../../store/index.ts';
import type { WriteResult } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { conflict, forbidden, notFound, qualified } from '../status.ts';
import type { DeleteOptions, KObject } from '../types/index.ts';
import { decode, encode } from './codec.ts';
import type { RegistryContext } from './context.ts';
import { checkPreconditions, gcFinalizers } from './delete-plan.ts';
import { readCurrent } from './get.ts';
import { namespaceKey, storagePrefix } from './keys.ts';
import { groupResourceOf, isCore, rfc3339, serverMeta } from './meta.ts';
import { fromStoreError } from './store-errors.ts';

const NAMESPACES = { group: '', resource: 'namespaces' };
/** NamespaceLifecycle's immortal namespaces. */
const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

/**
 * NamespaceLifecycle admission for creates: the namespace must exist (404 `namespaces "x" not
 * found`) and not be terminating (403 with cause NamespaceTerminating, which drain looks for).
 * Skipped when the resource table serves no Namespace kind (small test tables).
 */
export async function ensureNamespaceActive(ctx: RegistryContext, def: ResourceDef, namespace: string, name: string): Promise<void> {
  if (!ctx.resources.some((d) => isCore(d, 'namespaces'))) return;
  const kv = await ctx.store.get(namespaceKey(namespace));
  if (!kv) throw notFound(NAMESPACES, namespace);
  const ns = JSON.parse(kv.value) as KObject;
  if (!ns.metadata?.deletionTimestamp && (ns.status as { phase?: string } | undefined)?.phase !== 'Terminating') return;
  const what = qualified(groupResourceOf(def));
  const why = `unable to create new content in namespace ${namespace} because it is being terminated`;
  throw forbidden(name ? `${what} "${name}" is forbidden: ${why}` : `${what} is forbidden: ${why}`, {
    name,
    group: def.group,
    kind: def.plural,
    causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
  });
}

/**
 * DELETE of a namespace, as the namespace REST storage does it: the first delete marks it
 * Terminating (deletionTimestamp + status.phase); it is removed once spec.finalizers (the
 * namespace controller's `kubernetes`, emptied via `finalize`) and metadata.finalizers are empty.
 * A repeated delete while content remains is 409, as upstream.
 *
 * Until skiff has a namespace controller, the registry finalizes a namespace that holds nothing
 * but Events itself: it deletes those events and the namespace at once. A namespace with other
 * content stays Terminating until that content is gone and it is deleted again (or finalized).
 */
export async function deleteNamespace(ctx: RegistryContext, def: ResourceDef, name: string, opts: DeleteOptions, dryRun: boolean): Promise<WriteResult & { deleted?: boolean }> {
  if (IMMORTAL.has(name)) throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, group: '', kind: 'namespaces' });
  const read = await readCurrent(ctx, def, undefined, name);
  const key = read.key;
  let kv: KV | undefined = read.kv;
  for (;;) {
    if (!kv) throw notFound(NAMESPACES, name);
    let cur = decode(def, kv.value, kv.modRevision);
    checkPreconditions(def, cur, opts.preconditions);
    try {
      let first = false;
      if (!cur.metadata.deletionTimestamp) {
        const next = structuredClone(cur);
        serverMeta(next).deletionTimestamp = rfc3339(ctx.now());
        next.status = { ...(next.status as object | undefined), phase: 'Terminating' };
        const finalizers = gcFinalizers(next.metadata.finalizers ?? [], opts);
        if (finalizers) next.metadata.finalizers = finalizers;
        if (dryRun) return { object: decode(def, encode(def, next), kv.modRevision) };
        kv = await ctx.store.update(key, encode(def, next), kv.modRevision);
        cur = decode(def, kv.value, kv.modRevision);
        first = true;
      }
      if (((cur.spec as { finalizers?: string[] } | undefined)?.finalizers?.length ?? 0) > 0) {
        if (!dryRun && !(await hasContent(ctx, name))) return finalizeEmpty(ctx, def, key, kv, cur);
        if (first) return { object: cur };
        throw conflict(NAMESPACES, name, 'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.');
      }
      if ((cur.metadata.finalizers?.length ?? 0) > 0 || dryRun) return { object: cur };
      const tomb = await ctx.store.delete(key, kv.modRevision);
      return { object: decode(def, tomb.value, tomb.modRevision), deleted: true };
    } catch (err) {
      if (err instanceof ConflictError) kv = err.current ?? (await ctx.store.get(key));
      else if (err instanceof NotFoundError) kv = undefined;
      else throw fromStoreError(err, def, name);
    }
  }
}

/** Stands in for the namespace controller on an empty namespace (see deleteNamespace). */
async function finalizeEmpty(ctx: RegistryContext, def: ResourceDef, key: string, kv: KV, cur: KObject): Promise<WriteResult & { deleted?: boolean }> {
  for (const prefix of eventPrefixes(ctx)) {
    const { items } = await ctx.store.list(`${prefix}${cur.metadata.name}/`, { keysOnly: true });
    await Promise.all(items.map((e) => ctx.store.delete(e.key).catch((err: unknown) => (err instanceof NotFoundError ? undefined : Promise.reject(err)))));
  }
  if ((cur.metadata.finalizers?.length ?? 0) === 0) {
    const tomb = await ctx.store.delete(key, kv.modRevision);
    return { object: decode(def, tomb.value, tomb.modRevision), deleted: true };
  }
  // Metadata finalizers (orphan/foreground) still hold it; the write that removes the last one deletes it.
  const next = structuredClone(cur);
  delete (next.spec as { finalizers?: string[] }).finalizers;
  const written = await ctx.store.update(key, encode(def, next), kv.modRevision);
  return { object: decode(def, written.value, written.modRevision) };
}

/** Whether any namespaced kind other than Event has an object in `namespace`. */
async function hasContent(ctx: RegistryContext, namespace: string): Promise<boolean> {
  const events = new Set(eventPrefixes(ctx));
  const prefixes = new Set(ctx.resources.filter((d) => d.namespaced).map(storagePrefix));
  for (const prefix of prefixes) {
    if (events.has(prefix)) continue;
    const { items } = await ctx.store.list(`${prefix}${namespace}/`, { limit: 1, keysOnly: true });
    if (items.length > 0) return true;
  }
  return false;
}

function eventPrefixes(ctx: RegistryContext): string[] {
  return [...new Set(ctx.resources.filter((d) => d.namespaced && d.storage.resource === 'events').map(storagePrefix))];
}

export const isImmortalNamespace = (name: string): boolean => IMMORTAL.has(name);
