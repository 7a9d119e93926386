import type { Store } from '../../store/index.ts';
import { silentLogger, type Logger } from '../../util/index.ts';
import type { ApiHandler } from '../request.ts';
import type { ResourceDef, Verb } from '../resource.ts';
import { badRequest, methodNotAllowed } from '../status.ts';
import { defaultTuning, realTimers, type RegistryContext, type RegistryTuning, type Timers } from './context.ts';
import { createObject } from './create.ts';
import { deleteCollection, deleteObject } from './delete.ts';
import { getObject } from './get.ts';
import { listObjects } from './list.ts';
import { patchObject } from './patch.ts';
import { defaultSchemaHooks, type SchemaHooks } from './schema-hooks.ts';
import { createSubresource, getSubresource, patchSubresource, updateSubresource } from './subresources.ts';
import { updateObject } from './update.ts';
import { watchObjects } from './watch.ts';
import { WatchHub } from './watch-hub.ts';
import { defaultAdmission } from '../admission/index.ts';
import type { AdmissionPlugin } from './admission.ts';
import { allocating, type WriteAllocator } from './write-allocator.ts';

export interface ApiHandlerOptions {
  store: Store;
  resources: ResourceDef[];
  /** Time for creationTimestamp, deletionTimestamp and conditions (default: the system clock). */
  clock?: () => Date;
  log?: Logger;
  /** Timers for bookmarks, watch timeouts and future-resourceVersion waits (default: real, unref'd). */
  timers?: Timers;
  /** Replaces parts of the schema/patch hooks (default: pkg/api/schema and pkg/api/patch). */
  schema?: Partial<SchemaHooks>;
  tuning?: Partial<RegistryTuning>;
  /** Pooled values handed out on writes (pkg/api/services: cluster IPs, node ports). */
  allocator?: WriteAllocator;
  /** The admission chain run on creates and updates (default: pkg/api/admission's, as upstream enables). */
  admission?: readonly AdmissionPlugin[];
}

/** The registry's ApiHandler; `close()` ends every watch and releases the store subscriptions. */
export type RegistryHandler = ApiHandler & { close(): Promise<void> };

/**
 * The generic, kind-agnostic core of the Kubernetes API (apiserver's generic registry + Cacher)
 * over a Store, transport-neutral: the HTTP layer and the in-process client both call it.
 * Per-kind behaviour comes only from the ResourceDefs (strategy, subresources, field selectors,
 * storage conversion). Every error is a StatusError; authorization is not done here.
 *
 * Concurrency: any number of concurrent calls. Writes are compare-and-swap on the store (updates
 * and patches retry against the winner's state, preconditions excepted). Watches share one store
 * subscription per resource; watch events are frozen objects shared between watchers — copy
 * before mutating. Everything else returned is a fresh object owned by the caller.
 */
export function createApiHandler(opts: ApiHandlerOptions): RegistryHandler {
  const log = opts.log ?? silentLogger;
  const tuning = { ...defaultTuning, ...opts.tuning };
  const hooks: SchemaHooks = { ...defaultSchemaHooks, ...opts.schema };
  const ctx: RegistryContext = {
    store: opts.store,
    resources: opts.resources,
    now: opts.clock ?? (() => new Date()),
    timers: opts.timers ?? realTimers,
    log,
    tuning,
    schema: hooks,
    hub: new WatchHub(opts.store, log, tuning),
    allocator: opts.allocator,
    admission: opts.admission ?? defaultAdmission,
  };
  const allow = (def: ResourceDef, verb: Verb): void => {
    if (def.verbs && !def.verbs.includes(verb)) throw methodNotAllowed();
  };
  return {
    async get(req) {
      if (req.subresource) return getSubresource(ctx, req, req.subresource);
      allow(req.def, 'get');
      return getObject(ctx, req.def, req.namespace, req.name, req.resourceVersion);
    },
    async list(req) {
      allow(req.def, 'list');
      return listObjects(ctx, req.def, req.namespace, req.options);
    },
    async watch(req) {
      allow(req.def, 'watch');
      return watchObjects(ctx, req.def, req.namespace, req.options);
    },
    async create(req) {
      if (req.subresource) return decoding(ctx, req.def, () => createSubresource(ctx, req, req.subresource!));
      allow(req.def, 'create');
      return decoding(ctx, req.def, () => allocating(ctx, req.def, () => createObject(ctx, req)));
    },
    async update(req) {
      if (req.subresource) return decoding(ctx, req.def, () => updateSubresource(ctx, req, req.subresource!));
      allow(req.def, 'update');
      return decoding(ctx, req.def, () => allocating(ctx, req.def, () => updateObject(ctx, req, 'main')));
    },
    async patch(req) {
      if (req.subresource) return decoding(ctx, req.def, () => patchSubresource(ctx, req, req.subresource!));
      allow(req.def, 'patch');
      return decoding(ctx, req.def, () => allocating(ctx, req.def, () => patchObject(ctx, req, 'main')));
    },
    async delete(req) {
      allow(req.def, 'delete');
      return deleteObject(ctx, req.def, req.namespace, req.name, req.options ?? {});
    },
    async deletecollection(req) {
      allow(req.def, 'deletecollection');
      return deleteCollection(ctx, req);
    },
    async close() {
      ctx.hub.close();
    },
  };
}

/**
 * Strategies trust input typed as Go's decoder would leave it (`spec` an object, lists lists). A
 * body of the wrong shape that gets past the generic checks makes them throw a TypeError: that
 * is the client's fault, so 400 as upstream's decoder words it, not a 500. Logged, in case it
 * is a bug after all.
 */
async function decoding<T>(ctx: RegistryContext, def: ResourceDef, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    ctx.log.warn('write body of the wrong shape', { kind: def.kind, err: err.message });
    throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${err.message}`);
  }
}
