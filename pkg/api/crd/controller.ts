import type { Logger } from '../../util/index.ts';
import type { ApiHandler, UserInfo } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { isNotFound } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { servedVersions, type ServedNames } from './custom-resource.ts';
import { cleanupFinalizer, storageVersion } from './definition.ts';
import { acceptedNames, conditionOf, nameCrd, setCondition, specNames, type Condition } from './names.ts';
import type { CustomResourceTable } from './table.ts';
import { deepEqual } from './validate-object.ts';

export const apiserverUser: UserInfo = { name: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] };
const manager = { fieldManager: 'kube-apiserver' };

export interface CrdControllerOptions {
  handler: ApiHandler;
  /** The CustomResourceDefinition row of the table. */
  crdDef: ResourceDef;
  table: CustomResourceTable;
  log: Logger;
  now?: () => Date;
  /** Pause before looking again at a CRD whose instances are not all gone yet (default 1 s). */
  retryMs?: number;
}

/**
 * The API server's CRD controllers in one loop (apiextensions' naming, establishing and
 * finalizing controllers): for every CRD it accepts names and serves the resources before it
 * reports NamesAccepted and Established; for a deleted one (deletionTimestamp and the cleanup
 * finalizer) it refuses new instances, deletes the existing ones, reports Terminating, and
 * then lets the CRD go; a CRD that is gone stops being served.
 *
 * start(): lists and reconciles every stored CRD before it resolves (so a restarted server
 * serves its custom resources from its first request), then follows a watch. Reconciles run
 * one at a time; failures are logged and retried.
 */
export function crdController(opts: CrdControllerOptions) {
  const { handler, crdDef, table, log } = opts;
  const now = () => (opts.now ?? (() => new Date()))().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const builtIns = table.resources.filter((d) => d !== crdDef);
  const known = new Map<string, KObject>();
  const ac = new AbortController();
  let chain: Promise<void> = Promise.resolve();
  const timers = new Set<NodeJS.Timeout>();

  const enqueue = (name: string) => {
    chain = chain.then(() => reconcile(name)).catch((err) => {
      if (ac.signal.aborted) return;
      log.warn('custom resource definition reconcile failed; retrying', { crd: name, err: err instanceof Error ? err.message : String(err) });
      later(name);
    });
    return chain;
  };
  const later = (name: string) => {
    if (ac.signal.aborted) return;
    const t = setTimeout(() => {
      timers.delete(t);
      void enqueue(name);
    }, opts.retryMs ?? 1_000);
    t.unref();
    timers.add(t);
  };

  async function reconcile(name: string): Promise<void> {
    if (ac.signal.aborted) return;
    let crd: KObject;
    try {
      crd = await handler.get({ verb: 'get', def: crdDef, name }, apiserverUser);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      known.delete(name);
      table.remove(name);
      return;
    }
    known.set(name, crd);
    if (crd.metadata.deletionTimestamp) return finalize(crd);
    const { names, namesAccepted, established } = nameCrd(crd, [...known.values()], builtIns);
    // As upstream's handler: served once every name was accepted, and for good once established.
    if ((namesAccepted.status === 'True' || established.status === 'True') && names.plural && names.kind) table.set(name, servedVersions(crd, names as ServedNames));
    else table.remove(name);
    const stamp = now();
    const status = (crd.status ?? {}) as Record<string, any>;
    const conditions = setCondition(setCondition(status.conditions ?? [], namesAccepted, stamp), established, stamp);
    // Later reconciles of the group judge their names against these accepted ones.
    known.set(name, await writeStatus(crd, { ...status, acceptedNames: names, conditions }));
  }

  async function writeStatus(crd: KObject, status: Record<string, unknown>): Promise<KObject> {
    if (deepEqual(status, crd.status ?? {})) return crd;
    // A conflict rejects the reconcile, which runs again against the newer object.
    return (await handler.update({ verb: 'update', def: crdDef, name: crd.metadata.name!, subresource: 'status', body: { ...crd, status }, options: manager }, apiserverUser)).object;
  }

  async function terminating(crd: KObject, c: Omit<Condition, 'type'>): Promise<KObject> {
    const status = (crd.status ?? {}) as Record<string, any>;
    return writeStatus(crd, { ...status, conditions: setCondition(status.conditions ?? [], { type: 'Terminating', ...c }, now()) });
  }

  /** The finalizing controller: instances go first, then the CRD. */
  async function finalize(crd: KObject): Promise<void> {
    const name = crd.metadata.name!;
    const names = (acceptedNames(crd).plural ? acceptedNames(crd) : specNames(crd)) as ServedNames;
    table.set(name, servedVersions(crd, names, true));
    if (!crd.metadata.finalizers?.includes(cleanupFinalizer)) return;
    // Once a check has reported what remains, the condition stays put: flipping it back to
    // InProgress on every pass would wake this controller through its own watch forever.
    const reason = conditionOf(crd, 'Terminating')?.reason;
    if (reason !== 'InstanceDeletionInProgress' && reason !== 'InstanceDeletionCheck') {
      crd = await terminating(crd, { status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
    }
    const remaining = await deleteInstances(crd, names);
    if (remaining > 0) {
      await terminating(crd, { status: 'True', reason: 'InstanceDeletionCheck', message: `could not confirm zero CustomResources remaining: ${remaining} remaining` });
      return later(name);
    }
    crd = await terminating(crd, { status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' });
    const finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== cleanupFinalizer);
    const body = { ...crd, metadata: { ...crd.metadata, finalizers } };
    try {
      await handler.update({ verb: 'update', def: crdDef, name, body, options: manager }, apiserverUser);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Deletes every instance in the storage version; returns how many are still there. */
  async function deleteInstances(crd: KObject, names: ServedNames): Promise<number> {
    const stored = storageVersion(crd);
    const all = { ...crd, spec: { ...(crd.spec as object), versions: ((crd.spec as any).versions as any[]).map((v) => ({ ...v, served: v?.name === stored })) } };
    const def = servedVersions(all, names, true)[0]?.def;
    if (!def) return 0;
    const list = await handler.list({ verb: 'list', def, options: {} }, apiserverUser);
    for (const o of list.items) {
      if (o.metadata.deletionTimestamp) continue;
      try {
        await handler.delete({ verb: 'delete', def, namespace: o.metadata.namespace, name: o.metadata.name!, options: { propagationPolicy: 'Background' } }, apiserverUser);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return (await handler.list({ verb: 'list', def, options: {} }, apiserverUser)).items.length;
  }

  async function follow(resourceVersion: string): Promise<void> {
    let rv = resourceVersion;
    while (!ac.signal.aborted) {
      try {
        const events = await handler.watch({ verb: 'watch', def: crdDef, options: { resourceVersion: rv, allowWatchBookmarks: true, signal: ac.signal } }, apiserverUser);
        for await (const ev of events) {
          if (ev.type === 'ERROR') break;
          rv = ev.object.metadata?.resourceVersion ?? rv;
          if (ev.type !== 'BOOKMARK') void enqueue(ev.object.metadata.name!);
        }
      } catch (err) {
        if (ac.signal.aborted) return;
        log.warn('custom resource definition watch failed; relisting', { err: err instanceof Error ? err.message : String(err) });
      }
      if (ac.signal.aborted) return;
      rv = await relist();
    }
  }

  async function relist(): Promise<string> {
    const list = await handler.list({ verb: 'list', def: crdDef, options: {} }, apiserverUser);
    const present = new Set(list.items.map((c) => c.metadata.name!));
    for (const name of [...table.names(), ...known.keys()]) if (!present.has(name)) void enqueue(name);
    for (const c of list.items) known.set(c.metadata.name!, c);
    for (const c of list.items) void enqueue(c.metadata.name!);
    await chain;
    return list.metadata.resourceVersion ?? '0';
  }

  let following: Promise<void> | undefined;
  return {
    async start(): Promise<void> {
      const rv = await relist();
      following = follow(rv);
    },
    async stop(): Promise<void> {
      ac.abort();
      for (const t of timers) clearTimeout(t);
      await following?.catch(() => undefined);
      await chain.catch(() => undefined);
    },
    /** Resolves when every reconcile queued so far has run (tests). */
    idle: () => chain,
  };
}
