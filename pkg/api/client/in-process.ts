import type { ApiHandler, UserInfo } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { pathNotFound } from '../status.ts';
import type { KList, KObject, WatchEvent } from '../types/index.ts';
import type { Client, ResourceClient } from './client.ts';
import { parseApiVersion, required } from './paths.ts';

/** Who in-process components act as unless told otherwise: a cluster admin, like k3s's supervisor. */
export const skiffUser: UserInfo = { name: 'system:skiff', groups: ['system:masters', 'system:authenticated'] };

const clone = structuredClone;

/** In-process writes are recorded in managedFields under this manager unless a fieldManager is given. */
const userAgent = 'skiff/in-process';

/**
 * A Client straight into the ApiHandler: no HTTP, no JSON. Objects are deep-copied in both
 * directions, so callers never share memory with the registry (whose watch events are frozen and
 * shared between watchers). Every failure is the StatusError the HTTP server would send: an
 * unknown apiVersion or plural rejects each call with the same 404 as an unknown URL.
 */
export function inProcessClient(handler: ApiHandler, resources: ResourceDef[], user: UserInfo = skiffUser): Client {
  return {
    resource<T extends KObject = KObject>(apiVersion: string, plural: string): ResourceClient<T> {
      const { group, version } = parseApiVersion(apiVersion);
      const found = resources.find((d) => d.group === group && d.version === version && d.plural === plural);
      const def = (): ResourceDef => {
        if (!found) throw pathNotFound();
        return found;
      };
      return {
        async get(namespace, name) {
          return clone(await handler.get({ verb: 'get', name: required(name), def: def(), namespace }, user)) as T;
        },
        async list(namespace, options = {}) {
          return clone(await handler.list({ verb: 'list', def: def(), namespace, options: { ...options } }, user)) as KList<T>;
        },
        watch(namespace, options) {
          return watchCopies<T>(async () => handler.watch({ verb: 'watch', def: def(), namespace, options: { ...options } }, user));
        },
        async create(namespace, obj, options = {}) {
          const d = def();
          const ns = namespace ?? (d.namespaced ? obj.metadata?.namespace : undefined);
          return clone((await handler.create({ verb: 'create', def: d, namespace: ns, body: clone(obj), options: { userAgent, ...options } }, user)).object) as T;
        },
        async update(namespace, obj, options = {}) {
          return write(namespace, obj, undefined, options);
        },
        async updateStatus(namespace, obj, options = {}) {
          return write(namespace, obj, 'status', options);
        },
        async patch(namespace, name, type, patch, { subresource, ...options } = {}) {
          const req = { verb: 'patch' as const, name: required(name), def: def(), namespace, subresource, patchType: type, patch: clone(patch), options: { userAgent, ...options } };
          return clone((await handler.patch(req, user)).object) as T;
        },
        async delete(namespace, name, options = {}) {
          return clone((await handler.delete({ verb: 'delete', name: required(name), def: def(), namespace, options: clone(options) }, user)).object) as T;
        },
        async createSubresource(namespace, name, subresource, body) {
          const req = { verb: 'create' as const, name: required(name), def: def(), namespace, subresource, body: clone(body), options: {} };
          return clone((await handler.create(req, user)).object);
        },
        async updateSubresource(namespace, obj, subresource) {
          return write(namespace, obj, subresource, {});
        },
        async getSubresource(namespace, name, subresource) {
          return clone(await handler.get({ verb: 'get', name: required(name), def: def(), namespace, subresource }, user));
        },
      };

      async function write(namespace: string | undefined, obj: T, subresource: string | undefined, options: object): Promise<T> {
        const name = required(obj.metadata?.name);
        const d = def();
        const ns = namespace ?? (d.namespaced ? obj.metadata?.namespace : undefined);
        const req = { verb: 'update' as const, def: d, namespace: ns, name, subresource, body: clone(obj), options: { userAgent, ...options } };
        return clone((await handler.update(req, user)).object) as T;
      }
    },
  };
}


async function* watchCopies<T extends KObject>(open: () => Promise<AsyncIterable<WatchEvent>>): AsyncGenerator<WatchEvent<T>> {
  for await (const ev of await open()) yield { type: ev.type, object: clone(ev.object) as T };
}
