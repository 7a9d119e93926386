import type { ResourceDef } from '../resource.ts';
import { badRequest, pathNotFound } from '../status.ts';

/** What a URL path names. Resource paths carry the def; the rest are fixed endpoints. */
export type Route =
  | { type: 'resource'; def: ResourceDef; namespace?: string; name?: string; subresource?: string }
  | { type: 'discovery'; path: string }
  | { type: 'openapi'; path: string }
  | { type: 'version' }
  | { type: 'health'; check: 'healthz' | 'livez' | 'readyz' };

export type FindResource = (group: string, version: string, plural: string) => ResourceDef | undefined;

/**
 * Parses `/api/v1/[namespaces/{ns}/]{resource}[/{name}[/{sub}]]` and the `/apis/{g}/{v}/…` twin.
 * `/api/v1/namespaces/{name}[/{sub}]` is the Namespace object itself. Anything unknown → 404.
 */
export function route(pathname: string, find: FindResource): Route {
  const parts = pathname.split('/').filter(Boolean).map(segment);
  const [root] = parts;
  if (root === 'version' && parts.length === 1) return { type: 'version' };
  if ((root === 'healthz' || root === 'livez' || root === 'readyz') && parts.length <= 2) return { type: 'health', check: root };
  if (root === 'openapi') return { type: 'openapi', path: parts.slice(1).join('/') };
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (root === 'api') {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (root === 'apis') {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
    if (group === undefined) return { type: 'discovery', path: '/apis' };
  } else {
    throw pathNotFound();
  }
  if (version === undefined || rest.length === 0) return { type: 'discovery', path: `/${parts.join('/')}` };

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  // `/api/v1/namespaces/{name}/status|finalize`: no resource bears a subresource's name.
  if (namespace !== undefined && rest.length === 1 && !find(group, version, plural)) {
    const namespaces = find(group, version, 'namespaces');
    if (namespaces) return { type: 'resource', def: namespaces, name: namespace, subresource: plural };
  }
  const def = find(group, version, plural);
  if (!def || extra.length > 0) throw pathNotFound();
  if (namespace !== undefined && !def.namespaced) throw pathNotFound();
  return { type: 'resource', def, namespace, name, subresource };
}

// Go's URL parser refuses a bad escape before any handler runs; say so as a Status rather than fail.
function segment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`invalid URL escape in path segment "${s}"`);
  }
}
