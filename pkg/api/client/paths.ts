import type { ListOptions, PatchType, WatchOptions, WriteOptions } from '../request.ts';
import { badRequest } from '../status.ts';
import type { DeleteOptions } from '../types/index.ts';

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Root of a group version: `/api/v1` for the core group, `/apis/<group>/<version>` for the others. */
export function groupVersionPath(apiVersion: string): string {
  const { group, version } = parseApiVersion(apiVersion);
  return group ? `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}` : `/api/${encodeURIComponent(version)}`;
}

/**
 * `/api/v1/namespaces/<ns>/<plural>[/<name>[/<sub>]]`, or without the namespace segment for
 * cluster-scoped resources and all-namespace collections (kubectl-api.md §7).
 */
export function resourcePath(apiVersion: string, plural: string, namespaced: boolean, namespace?: string, name?: string, subresource?: string): string {
  let p = groupVersionPath(apiVersion);
  if (namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${encodeURIComponent(plural)}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${encodeURIComponent(subresource)}`;
  return p;
}

type Params = Record<string, string | number | boolean | undefined>;

// Keys sorted and values query-escaped, as Go's url.Values.Encode writes them (what kubectl sends).
function query(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.append(k, String(v));
  q.sort();
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function listQuery(o: ListOptions = {}): string {
  return query({
    labelSelector: o.labelSelector,
    fieldSelector: o.fieldSelector,
    limit: o.limit !== undefined && o.limit > 0 ? o.limit : undefined,
    continue: o.continue,
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
  });
}

export function watchQuery(o: Omit<WatchOptions, 'signal'>): string {
  return query({
    labelSelector: o.labelSelector,
    fieldSelector: o.fieldSelector,
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
    allowWatchBookmarks: o.allowWatchBookmarks ? true : undefined,
    timeoutSeconds: o.timeoutSeconds,
    watch: true,
  });
}

export function writeQuery(o: WriteOptions = {}): string {
  return query({
    dryRun: o.dryRun ? 'All' : undefined,
    fieldManager: o.fieldManager,
    fieldValidation: o.fieldValidation,
    force: o.force,
  });
}

/** The DELETE body kubectl sends (`{"propagationPolicy":"Background"}`); undefined when there is nothing to say. */
export function deleteBody(o: DeleteOptions = {}): DeleteOptions | undefined {
  const body = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as DeleteOptions;
  return Object.keys(body).length ? body : undefined;
}

export const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Object names are URL segments for the HTTPS client; both clients refuse an empty one the same way. */
export function required(name: string | undefined): string {
  if (!name) throw badRequest('resource name may not be empty');
  return name;
}
