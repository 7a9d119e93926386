import type { networking, KObject } from '../../api/types/index.ts';
import { canaryOf, type Canary } from './canary.ts';

type Ingress = networking.Ingress & KObject;

/** A service port an ingress sends traffic to: the port's number or its name. */
export interface BackendRef {
  namespace: string;
  service: string;
  port: number | string;
}

/** One path of one host: where it goes, and the canary that may take a share of it. */
export interface Route {
  /** Lowercased; '' for rules without a host, `*.example.com` for wildcard rules. */
  host: string;
  path: string;
  /** ImplementationSpecific is served as Prefix. */
  pathType: 'Exact' | 'Prefix';
  backend: BackendRef;
  /** `namespace/name` of the Ingress the route comes from. */
  ingress: string;
  canary?: Canary & { backend: BackendRef; ingress: string };
}

/**
 * Every route of the served Ingresses, grouped by host the way a request looks them up: an exact
 * host first, then the wildcard of its parent domain, then the rules without a host. Within a
 * group, routes are ordered longest path first and Exact before Prefix at equal length, so the
 * first match is the one upstream's precedence picks.
 */
export interface RouteTable {
  exact: Map<string, Route[]>;
  /** By the wildcard's suffix: `*.example.com` under `example.com`. */
  wildcard: Map<string, Route[]>;
  any: Route[];
  /** spec.defaultBackend of the oldest Ingress that has one: for requests nothing else matches. */
  defaultBackend?: BackendRef & { ingress: string };
}

const keyOf = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const byAge = (a: Ingress, b: Ingress) => {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;
};

function backendOf(ns: string, b: networking.IngressBackend | undefined): BackendRef | undefined {
  const svc = b?.service;
  if (!svc?.name) return undefined;
  const port = svc.port?.number ?? svc.port?.name;
  if (port === undefined || port === '') return undefined;
  return { namespace: ns, service: svc.name, port };
}

interface PathEntry {
  host: string;
  path: string;
  pathType: Route['pathType'];
  backend: BackendRef;
}

function pathsOf(ing: Ingress): PathEntry[] {
  const ns = ing.metadata.namespace ?? 'default';
  const out: PathEntry[] = [];
  for (const rule of ing.spec?.rules ?? []) {
    const host = (rule.host ?? '').toLowerCase();
    for (const p of rule.http?.paths ?? []) {
      const backend = backendOf(ns, p.backend);
      if (!backend) continue;
      const path = p.path || '/';
      if (!path.startsWith('/')) continue;
      out.push({ host, path, pathType: p.pathType === 'Exact' ? 'Exact' : 'Prefix', backend });
    }
  }
  return out;
}

const order = (a: Route, b: Route) => b.path.length - a.path.length || (a.pathType === b.pathType ? 0 : a.pathType === 'Exact' ? -1 : 1);

/**
 * The route table of `ingresses` (already filtered to the ones this controller serves). Where
 * two Ingresses claim the same host, path and path type, the older one wins (as ingress-nginx).
 * A canary Ingress adds nothing of its own: each of its paths attaches to the main route with
 * the same host and path, and is ignored where there is none or another canary came first.
 */
export function buildRoutes(ingresses: Ingress[]): RouteTable {
  const sorted = [...ingresses].sort(byAge);
  const routes = new Map<string, Route>();
  const table: RouteTable = { exact: new Map(), wildcard: new Map(), any: [] };
  const canaries: Ingress[] = [];
  for (const ing of sorted) {
    if (canaryOf(ing.metadata.annotations)) {
      canaries.push(ing);
      continue;
    }
    for (const p of pathsOf(ing)) {
      const k = `${p.host}\n${p.path}\n${p.pathType}`;
      if (!routes.has(k)) routes.set(k, { ...p, ingress: keyOf(ing) });
    }
    const def = backendOf(ing.metadata.namespace ?? 'default', ing.spec?.defaultBackend);
    if (def && !table.defaultBackend) table.defaultBackend = { ...def, ingress: keyOf(ing) };
  }
  for (const ing of canaries) {
    const canary = canaryOf(ing.metadata.annotations)!;
    for (const p of pathsOf(ing)) {
      for (const r of routes.values()) {
        if (r.host === p.host && r.path === p.path && !r.canary) r.canary = { ...canary, backend: p.backend, ingress: keyOf(ing) };
      }
    }
  }
  for (const r of routes.values()) {
    if (!r.host) table.any.push(r);
    else if (r.host.startsWith('*.')) push(table.wildcard, r.host.slice(2), r);
    else push(table.exact, r.host, r);
  }
  table.any.sort(order);
  for (const group of [table.exact, table.wildcard]) for (const list of group.values()) list.sort(order);
  return table;
}

function push(m: Map<string, Route[]>, k: string, r: Route) {
  const list = m.get(k);
  if (list) list.push(r);
  else m.set(k, [r]);
}

/**
 * Whether a route's path matches a request path. Prefix compares whole path elements: `/foo`
 * matches `/foo`, `/foo/` and `/foo/bar` but not `/foobar`; a trailing slash on either side is
 * ignored. Exact compares the strings.
 */
export function pathMatches(route: Pick<Route, 'path' | 'pathType'>, path: string): boolean {
  if (route.pathType === 'Exact') return path === route.path;
  const prefix = route.path.replace(/\/+$/, '');
  if (prefix === '') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The Host header's name: lowercased, without port or trailing dot (an IPv6 literal keeps its brackets). */
export function hostOf(header: string | undefined): string {
  let h = (header ?? '').trim().toLowerCase();
  const m = /^(\[[^\]]*\]|[^:]*)(:\d*)?$/.exec(h);
  if (m) h = m[1]!;
  return h.replace(/\.$/, '');
}

/**
 * The route for a request. The host picks one group: its exact rules, else the wildcard rules of
 * its parent domain (a wildcard covers exactly one label: `*.example.com` matches
 * `a.example.com`, not `example.com` nor `a.b.example.com`), else the rules without a host; the
 * longest matching path of that group wins. Undefined: the default backend's turn.
 */
export function matchRoute(table: RouteTable, host: string, path: string): Route | undefined {
  const dot = host.indexOf('.');
  const group = table.exact.get(host) ?? (dot > 0 ? table.wildcard.get(host.slice(dot + 1)) : undefined) ?? table.any;
  return group.find((r) => pathMatches(r, path));
}
