import type { DeleteOptions, KList, KObject, WatchEvent } from '../types/index.ts';
import type { ListOptions, PatchType, WriteOptions } from '../request.ts';

/**
 * How every skiff component talks to the cluster (DESIGN.md §1). Two implementations: in-process
 * (straight into the ApiHandler, no HTTP, no JSON) and HTTPS (a remote agent, the dashboard, tests).
 * A caller cannot tell them apart: same results, same errors (StatusError with the server's Status).
 *
 * `resource('apps/v1', 'deployments')` names a resource by apiVersion and plural. `namespace` is
 * undefined for cluster-scoped resources, and for lists/watches across all namespaces.
 * Objects returned are fresh copies owned by the caller.
 */
export interface Client {
  resource<T extends KObject = KObject>(apiVersion: string, plural: string): ResourceClient<T>;
}

export interface ResourceClient<T extends KObject = KObject> {
  get(namespace: string | undefined, name: string): Promise<T>;
  list(namespace: string | undefined, options?: ListOptions): Promise<KList<T>>;
  /**
   * Events after `options.resourceVersion` (or the current state as ADDED first when it is unset/"0"),
   * until `options.signal` aborts or the server ends the stream. A 410 arrives as an ERROR event.
   */
  watch(namespace: string | undefined, options: ListOptions & { allowWatchBookmarks?: boolean; timeoutSeconds?: number; signal: AbortSignal }): AsyncIterable<WatchEvent<T>>;
  create(namespace: string | undefined, obj: T, options?: WriteOptions): Promise<T>;
  /** PUT: `obj.metadata.resourceVersion`, when set, is a precondition (409 Conflict on mismatch). */
  update(namespace: string | undefined, obj: T, options?: WriteOptions): Promise<T>;
  /** PUT to the status subresource. */
  updateStatus(namespace: string | undefined, obj: T, options?: WriteOptions): Promise<T>;
  patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options?: WriteOptions & { subresource?: string }): Promise<T>;
  /** Returns the object as deleted (or as marked for deletion when finalizers or a grace period keep it). */
  delete(namespace: string | undefined, name: string, options?: DeleteOptions): Promise<T>;
  /** POST to a subresource of one object (pods/binding, pods/eviction); returns the response body. */
  createSubresource(namespace: string | undefined, name: string, subresource: string, body: KObject): Promise<KObject>;
  /** PUT to a subresource of one object other than status (namespaces/finalize); returns the object. */
  updateSubresource(namespace: string | undefined, obj: T, subresource: string): Promise<T>;
  /** GET a subresource of one object (deployments/scale). */
  getSubresource(namespace: string | undefined, name: string, subresource: string): Promise<KObject>;
}
