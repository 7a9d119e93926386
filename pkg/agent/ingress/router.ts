import type { IncomingHttpHeaders } from 'node:http';
import { useCanary } from './canary.ts';
import type { Endpoint } from './endpoints.ts';
import { hostOf, matchRoute, type BackendRef, type RouteTable } from './routes.ts';

/** What to do with one request: send it to an endpoint, or answer with a status of our own. */
export type Decision =
  | { kind: 'proxy'; endpoint: Endpoint; backend: BackendRef; ingress: string }
  | { kind: 'status'; code: 404 | 503 };

export interface RouterDeps {
  /** The ready endpoints of a backend, at the moment of the request. */
  endpointsOf(ref: BackendRef): Endpoint[];
  /** Draw in [0, 1) for weighted canaries (Math.random; tests pass their own). */
  random?: () => number;
}

const keyOf = (b: BackendRef) => `${b.namespace}/${b.service}:${b.port}`;

/**
 * Decides where requests go: the route of their host and path (else the default backend, else
 * 404), the route's canary when its header, cookie or weight says so, and then one ready endpoint
 * of that backend in round-robin (503 when it has none). The route table is swapped whole on
 * every change; endpoints are looked up per request, so a scaled backend is used at once.
 */
export class Router {
  private table: RouteTable = { exact: new Map(), wildcard: new Map(), any: [] };
  private readonly next = new Map<string, number>();

  constructor(private readonly deps: RouterDeps) {}

  setTable(table: RouteTable): void {
    this.table = table;
  }

  /** True when no Ingress gives any route or default backend (everything is a 404). */
  get empty(): boolean {
    return !this.table.defaultBackend && !this.table.any.length && !this.table.exact.size && !this.table.wildcard.size;
  }

  decide(hostHeader: string | undefined, url: string, headers: IncomingHttpHeaders): Decision {
    const path = pathOf(url);
    const route = matchRoute(this.table, hostOf(hostHeader), path);
    let backend: BackendRef | undefined;
    let ingress = '';
    if (route) {
      const canary = route.canary && useCanary(route.canary, headers, this.deps.random ?? Math.random) ? route.canary : undefined;
      backend = canary?.backend ?? route.backend;
      ingress = canary?.ingress ?? route.ingress;
    } else if (this.table.defaultBackend) {
      backend = this.table.defaultBackend;
      ingress = this.table.defaultBackend.ingress;
    }
    if (!backend) return { kind: 'status', code: 404 };
    const eps = this.deps.endpointsOf(backend);
    if (!eps.length) return { kind: 'status', code: 503 };
    const key = keyOf(backend);
    const i = (this.next.get(key) ?? 0) % eps.length;
    this.next.set(key, i + 1);
    return { kind: 'proxy', endpoint: eps[i]!, backend, ingress };
  }
}

/** The path of a request target: without query or fragment; an absolute-form target loses its origin. */
export function pathOf(url: string): string {
  let u = url;
  if (!u.startsWith('/')) {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(.*)$/i.exec(u);
    u = m ? m[1] || '/' : `/${u}`;
  }
  const q = u.search(/[?#]/);
  return q < 0 ? u : u.slice(0, q);
}
