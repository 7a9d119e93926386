import { readKubeconfig, type KubeconfigCredentials } from '../auth/index.ts';
import type { KList, KObject, Status, WatchEvent } from '../types/index.ts';
import type { Client, ResourceClient } from './client.ts';
import { DiscoveryCache } from './discovery-cache.ts';
import { HttpsTransport } from './https-transport.ts';
import { deleteBody, listQuery, patchContentTypes, required, resourcePath, watchQuery, writeQuery } from './paths.ts';

export type HttpsClientOptions = { kubeconfig: string } | KubeconfigCredentials;

/** A Client over HTTPS; `close()` drops its idle keep-alive connections. */
export type HttpsClient = Client & { close(): void };

/**
 * The Client for components outside the server process (remote agents, the dashboard, tests):
 * the same URLs, query parameters, media types and bodies kubectl sends (kubectl-api.md §7–10).
 * Whether a resource is namespaced comes from discovery, fetched once per group version. Errors
 * are StatusErrors carrying the server's Status exactly; failures without one get a Status made
 * from the HTTP code, and unreachable servers a 503 (errors.ts).
 */
export function httpsClient(opts: HttpsClientOptions): HttpsClient {
  const creds = 'kubeconfig' in opts ? readKubeconfig(opts.kubeconfig) : opts;
  const http = new HttpsTransport(creds);
  const discovery = new DiscoveryCache((path) => http.request({ method: 'GET', path }));

  return {
    close: () => http.close(),
    resource<T extends KObject = KObject>(apiVersion: string, plural: string): ResourceClient<T> {
      const path = async (namespace: string | undefined, name?: string, subresource?: string, obj?: KObject): Promise<string> => {
        const namespaced = await discovery.namespaced(apiVersion, plural);
        return resourcePath(apiVersion, plural, namespaced, namespace ?? (namespaced ? obj?.metadata?.namespace : undefined), name, subresource);
      };
      const send = async <R>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', p: string, body?: unknown, contentType?: string): Promise<R> =>
        (await http.request({ method, path: p, body, contentType: body === undefined ? undefined : (contentType ?? 'application/json') })) as R;

      return {
        async get(namespace, name) {
          return send<T>('GET', await path(namespace, required(name)));
        },
        async list(namespace, options) {
          return send<KList<T>>('GET', (await path(namespace)) + listQuery(options));
        },
        async *watch(namespace, { signal, ...options }) {
          const p = (await path(namespace)) + watchQuery(options);
          for await (const ev of http.stream(p, signal)) yield ev as WatchEvent<T>;
        },
        async create(namespace, obj, options) {
          return send<T>('POST', (await path(namespace, undefined, undefined, obj)) + writeQuery(options), obj);
        },
        async update(namespace, obj, options) {
          return send<T>('PUT', (await path(namespace, required(obj.metadata?.name), undefined, obj)) + writeQuery(options), obj);
        },
        async updateStatus(namespace, obj, options) {
          return send<T>('PUT', (await path(namespace, required(obj.metadata?.name), 'status', obj)) + writeQuery(options), obj);
        },
        async patch(namespace, name, type, patch, { subresource, ...options } = {}) {
          return send<T>('PATCH', (await path(namespace, required(name), subresource)) + writeQuery(options), patch, patchContentTypes[type]);
        },
        async delete(namespace, name, options) {
          // Most kinds answer a finished delete with a Success Status, not the object (as upstream).
          const out = await send<T | Status>('DELETE', await path(namespace, required(name)), deleteBody(options));
          if (out.kind !== 'Status') return out as T;
          const d = (out as Status).details ?? {};
          return { apiVersion, metadata: { name: d.name ?? name, ...(namespace ? { namespace } : {}), ...(d.uid ? { uid: d.uid } : {}) } } as unknown as T;
        },
        async createSubresource(namespace, name, subresource, body) {
          return send<KObject>('POST', await path(namespace, required(name), subresource), body);
        },
        async updateSubresource(namespace, obj, subresource) {
          return send<T>('PUT', await path(namespace, required(obj.metadata?.name), subresource, obj), obj);
        },
        async getSubresource(namespace, name, subresource) {
          return send<KObject>('GET', await path(namespace, required(name), subresource));
        },
      };
    },
  };
}
