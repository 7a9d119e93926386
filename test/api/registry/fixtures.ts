import { afterEach } from 'vitest';
import { createApiHandler, type RegistryHandler, type RegistryTuning, type SchemaHooks } from '../../../pkg/api/registry/index.ts';
import type { ApiRequest, PatchType, UserInfo, WriteOptions } from '../../../pkg/api/request.ts';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import type { FieldError } from '../../../pkg/api/status.ts';
import type { DeleteOptions, KObject, WatchEvent } from '../../../pkg/api/types/index.ts';
import { openStore, type Store } from '../../../pkg/store/index.ts';
import { FakeClock } from '../../store/fake-clock.ts';

// A small resource table covering every shape the registry must handle: cluster-scoped and
// namespaced kinds, status/scale/binding/finalize/eviction subresources, generation, field
// selectors, and two served kinds sharing one storage with conversion.

const status = { name: 'status' } as const;

export const namespaces: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  storage: { group: '', resource: 'namespaces' },
  subresources: [status, { name: 'finalize' }],
  fieldSelectors: { 'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase ?? '' },
  strategy: {
    prepareForCreate(obj) {
      obj.status = { phase: 'Active' };
      const spec = (obj.spec ?? {}) as { finalizers?: string[] };
      obj.spec = { ...spec, finalizers: [...new Set([...(spec.finalizers ?? []), 'kubernetes'])] };
    },
  },
};

export const pods: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  storage: { group: '', resource: 'pods' },
  subresources: [status, { name: 'binding' }, { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction' }],
  fieldSelectors: {
    'spec.nodeName': (o) => (o.spec as { nodeName?: string } | undefined)?.nodeName ?? '',
    'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase ?? '',
  },
  strategy: {
    prepareForCreate(obj) {
      obj.status = { phase: 'Pending' };
    },
    defaults(obj) {
      const spec = (obj.spec ??= {}) as Record<string, unknown>;
      spec.restartPolicy ??= 'Always';
      spec.terminationGracePeriodSeconds ??= 30;
    },
    validate(obj) {
      const containers = (obj.spec as { containers?: unknown[] } | undefined)?.containers;
      return containers?.length ? [] : [{ type: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' }];
    },
  },
};

export const deployments: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  generation: true,
  storage: { group: 'apps', resource: 'deployments' },
  subresources: [status, { name: 'scale', specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' }],
  strategy: {
    prepareForCreate(obj) {
      delete obj.status;
    },
    defaults(obj) {
      const spec = (obj.spec ??= {}) as Record<string, unknown>;
      spec.replicas ??= 1;
    },
    validate(obj) {
      const replicas = (obj.spec as { replicas?: number }).replicas!;
      const errs: FieldError[] = [];
      if (replicas < 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${replicas}: must be greater than or equal to 0` });
      return errs;
    },
    validateUpdate(obj, old) {
      const sel = (o: KObject) => JSON.stringify((o.spec as { selector?: unknown }).selector);
      return sel(obj) === sel(old) ? [] : [{ type: 'FieldValueInvalid', field: 'spec.selector', message: 'Invalid value: field is immutable' }];
    },
  },
};

export const configmaps: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  storage: { group: '', resource: 'configmaps' },
};

export const nodes: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  storage: { group: '', resource: 'nodes' },
  subresources: [status],
  verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
};

export const events: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  storage: { group: '', resource: 'events' },
};

/** events.k8s.io/v1 Event: `note` is core/v1's `message` (the storage version). */
export const eventsV1: ResourceDef = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  storage: { group: '', resource: 'events' },
  toStorage({ note, ...rest }) {
    return { ...rest, apiVersion: 'v1', kind: 'Event', message: note };
  },
  fromStorage({ message, ...rest }) {
    return { ...rest, note: message };
  },
};

export const pdbs: ResourceDef = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  namespaced: true,
  generation: true,
  storage: { group: 'policy', resource: 'poddisruptionbudgets' },
  subresources: [status],
};

export const resources = [namespaces, pods, deployments, configmaps, nodes, events, eventsV1, pdbs];

export const admin: UserInfo = { name: 'admin', groups: ['system:masters'] };

/** A Store that delegates to a real one and counts watch subscriptions (calls and live ones). */
export class CountingStore implements Store {
  watchCalls = 0;
  activeWatches = 0;
  constructor(readonly inner: Store) {}
  get: Store['get'] = (...a) => this.inner.get(...a);
  list: Store['list'] = (...a) => this.inner.list(...a);
  count: Store['count'] = (...a) => this.inner.count(...a);
  create: Store['create'] = (...a) => this.inner.create(...a);
  update: Store['update'] = (...a) => this.inner.update(...a);
  delete: Store['delete'] = (...a) => this.inner.delete(...a);
  compact: Store['compact'] = (...a) => this.inner.compact(...a);
  currentRevision: Store['currentRevision'] = () => this.inner.currentRevision();
  compactRevision: Store['compactRevision'] = () => this.inner.compactRevision();
  stats: Store['stats'] = () => this.inner.stats();
  close: Store['close'] = () => this.inner.close();
  watch(prefix: string, after: number, opts: Parameters<Store['watch']>[2]): ReturnType<Store['watch']> {
    this.watchCalls++;
    const inner = this.inner.watch(prefix, after, opts);
    return {
      [Symbol.asyncIterator]: () => {
        const it = inner[Symbol.asyncIterator]();
        this.activeWatches++;
        let live = true;
        const done = () => {
          if (live) this.activeWatches--;
          live = false;
        };
        return {
          next: async () => {
            try {
              const r = await it.next();
              if (r.done) done();
              return r;
            } catch (err) {
              done();
              throw err;
            }
          },
          return: async () => {
            done();
            return (await it.return?.()) ?? { done: true, value: undefined };
          },
        };
      },
    };
  }
}

/** A Store that forwards to `s` except for the methods in `over` (tests shape timing with it). */
export function delegating(s: Store, over: Partial<Store>): Store {
  return {
    get: (...a) => s.get(...a),
    list: (...a) => s.list(...a),
    count: (...a) => s.count(...a),
    create: (...a) => s.create(...a),
    update: (...a) => s.update(...a),
    delete: (...a) => s.delete(...a),
    watch: (...a) => s.watch(...a),
    compact: (...a) => s.compact(...a),
    currentRevision: () => s.currentRevision(),
    compactRevision: () => s.compactRevision(),
    stats: () => s.stats(),
    close: () => s.close(),
    ...over,
  };
}

export interface Cluster {
  api: RegistryHandler;
  store: CountingStore;
  clock: FakeClock;
  get(def: ResourceDef, ns: string | undefined, name: string, extra?: { subresource?: string; resourceVersion?: string }): Promise<KObject>;
  create(def: ResourceDef, ns: string | undefined, body: KObject, options?: WriteOptions): Promise<KObject>;
  update(def: ResourceDef, ns: string | undefined, body: KObject, options?: WriteOptions & { subresource?: string }): Promise<KObject>;
  patch(def: ResourceDef, ns: string | undefined, name: string, patch: unknown, options?: WriteOptions & { subresource?: string; type?: PatchType }): Promise<KObject>;
  remove(def: ResourceDef, ns: string | undefined, name: string, options?: DeleteOptions): Promise<KObject>;
  list(def: ResourceDef, ns: string | undefined, options?: Extract<ApiRequest, { verb: 'list' }>['options']): ReturnType<RegistryHandler['list']>;
  watch(def: ResourceDef, ns: string | undefined, options?: Partial<Extract<ApiRequest, { verb: 'watch' }>['options']>): Promise<AsyncIterator<WatchEvent>>;
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

/** A fresh memory store, fake clock and handler with namespace `default`; closed after the test. */
export async function cluster(opts: { tuning?: Partial<RegistryTuning>; schema?: Partial<SchemaHooks>; defs?: ResourceDef[]; wrap?: (s: Store) => Store } = {}): Promise<Cluster> {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const inner = await openStore('memory:', { compactIntervalMs: 0, clock });
  const store = new CountingStore(opts.wrap ? opts.wrap(inner) : inner);
  const api = createApiHandler({ store, resources: opts.defs ?? resources, clock: () => new Date(clock.now()), timers: clock, tuning: opts.tuning, schema: opts.schema });
  const aborts: AbortController[] = [];
  open.push(async () => {
    for (const a of aborts) a.abort();
    await api.close();
    await inner.close();
  });
  const c: Cluster = {
    api,
    store,
    clock,
    get: (def, namespace, name, extra) => api.get({ verb: 'get', def, namespace, name, ...extra }, admin),
    create: async (def, namespace, body, options = {}) => (await api.create({ verb: 'create', def, namespace, body, options }, admin)).object,
    update: async (def, namespace, body, { subresource, ...options } = {}) => (await api.update({ verb: 'update', def, namespace, name: body.metadata.name!, body, subresource, options }, admin)).object,
    patch: async (def, namespace, name, patch, { subresource, type, ...options } = {}) =>
      (await api.patch({ verb: 'patch', def, namespace, name, patch, patchType: type ?? 'merge', subresource, options }, admin)).object,
    remove: async (def, namespace, name, options = {}) => (await api.delete({ verb: 'delete', def, namespace, name, options }, admin)).object,
    list: (def, namespace, options = {}) => api.list({ verb: 'list', def, namespace, options }, admin),
    watch: async (def, namespace, options = {}) => {
      const a = new AbortController();
      aborts.push(a);
      const it = await api.watch({ verb: 'watch', def, namespace, options: { signal: a.signal, ...options } }, admin);
      return it[Symbol.asyncIterator]();
    },
  };
  if ((opts.defs ?? resources).includes(namespaces)) await c.create(namespaces, undefined, { metadata: { name: 'default' } });
  return c;
}

export const pod = (name: string, extra: Partial<KObject> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  ...extra,
  metadata: { name, ...extra.metadata },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(extra.spec as object) },
});

export const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

/** The next `n` events (fails when the stream ends first). */
export async function take(it: AsyncIterator<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) throw new Error(`watch ended after ${out.length} of ${n} events: ${JSON.stringify(out.map(brief))}`);
    out.push(r.value);
  }
  return out;
}

/** `ADDED cm1@5` — compact event form for assertions. */
export const brief = (e: WatchEvent): string => `${e.type} ${e.object.metadata?.name ?? ''}@${e.object.metadata?.resourceVersion ?? ''}`;

/** Resolves with the rejection (fails when the promise resolves). */
export async function failure(p: Promise<unknown>): Promise<{ code: number; reason?: string; message: string; status: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as { status?: { code: number; reason?: string; message: string } };
    if (!e.status) throw err;
    return { code: e.status.code, reason: e.status.reason, message: e.status.message, status: e.status as unknown as Record<string, unknown> };
  }
  throw new Error('expected a StatusError');
}

/** Lets pending store commits and watch dispatch run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
