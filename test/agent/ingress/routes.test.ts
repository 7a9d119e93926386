import { describe, expect, it } from 'vitest';
import { buildRoutes, hostOf, matchRoute, pathMatches } from '../../../pkg/agent/ingress/routes.ts';
import type { networking, KObject } from '../../../pkg/api/types/index.ts';

type Ingress = networking.Ingress & KObject;
type Path = { path?: string; pathType?: string; svc: string; port?: number | string };

function ing(name: string, rules: { host?: string; paths: Path[] }[], extra: { ts?: string; annotations?: Record<string, string>; def?: string } = {}): Ingress {
  return {
    metadata: { name, namespace: 'default', creationTimestamp: extra.ts ?? '2026-01-01T00:00:00Z', annotations: extra.annotations },
    spec: {
      ...(extra.def ? { defaultBackend: { service: { name: extra.def, port: { number: 80 } } } } : {}),
      rules: rules.map((r) => ({
        host: r.host,
        http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType ?? 'Prefix', backend: { service: { name: p.svc, port: typeof p.port === 'string' ? { name: p.port } : { number: p.port ?? 80 } } } })) },
      })),
    },
  } as Ingress;
}
const svcOf = (t: ReturnType<typeof buildRoutes>, host: string, path: string) => matchRoute(t, host, path)?.backend.service;

describe('pathMatches', () => {
  // The examples table of the Ingress documentation.
  const cases: [string, string, string, boolean][] = [
    ['Prefix', '/', '/anything', true],
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/bar', false],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo/', '/foo', false],
    ['Prefix', '/foo', '/foo', true],
    ['Prefix', '/foo', '/foo/', true],
    ['Prefix', '/foo/', '/foo', true],
    ['Prefix', '/foo/', '/foo/', true],
    ['Prefix', '/aaa/bb', '/aaa/bbb', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb/', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
  ];
  it.each(cases)('%s %s against %s → %s', (pathType, path, req, want) => {
    expect(pathMatches({ path, pathType: pathType as 'Exact' | 'Prefix' }, req)).toBe(want);
  });
});

describe('hostOf', () => {
  it('lowercases and drops the port and a trailing dot', () => {
    expect(hostOf('Foo.Example.COM:8080')).toBe('foo.example.com');
    expect(hostOf('foo.example.com.')).toBe('foo.example.com');
    expect(hostOf('[::1]:80')).toBe('[::1]');
    expect(hostOf(undefined)).toBe('');
  });
});

describe('matchRoute', () => {
  it('picks the longest path, Exact before Prefix, and treats ImplementationSpecific as Prefix', () => {
    const t = buildRoutes([ing('a', [{ host: 'a.test', paths: [
      { path: '/', svc: 'root' }, { path: '/api', svc: 'api' }, { path: '/api/v2', svc: 'v2' },
      { path: '/api/v2', pathType: 'Exact', svc: 'v2-exact' }, { path: '/img', pathType: 'ImplementationSpecific', svc: 'img' },
    ] }])]);
    expect(svcOf(t, 'a.test', '/')).toBe('root');
    expect(svcOf(t, 'a.test', '/apix')).toBe('root');
    expect(svcOf(t, 'a.test', '/api/v1')).toBe('api');
    expect(svcOf(t, 'a.test', '/api/v2')).toBe('v2-exact');
    expect(svcOf(t, 'a.test', '/api/v2/x')).toBe('v2');
    expect(svcOf(t, 'a.test', '/img/1.png')).toBe('img');
  });

  it('prefers an exact host, then a one-label wildcard, then rules without a host', () => {
    const t = buildRoutes([ing('a', [
      { host: 'a.example.com', paths: [{ path: '/', svc: 'exact' }] },
      { host: '*.example.com', paths: [{ path: '/', svc: 'wild' }] },
      { paths: [{ path: '/', svc: 'any' }] },
    ])]);
    expect(svcOf(t, 'a.example.com', '/')).toBe('exact');
    expect(svcOf(t, 'b.example.com', '/x')).toBe('wild');
    expect(svcOf(t, 'a.b.example.com', '/')).toBe('any');
    expect(svcOf(t, 'example.com', '/')).toBe('any');
    expect(svcOf(t, 'other.test', '/')).toBe('any');
  });

  it('does not fall back to other hosts when a host matches but none of its paths do', () => {
    const t = buildRoutes([ing('a', [{ host: 'a.test', paths: [{ path: '/only', svc: 'only' }] }, { paths: [{ path: '/', svc: 'any' }] }], { def: 'fallback' })]);
    expect(matchRoute(t, 'a.test', '/other')).toBeUndefined();
    expect(t.defaultBackend).toMatchObject({ service: 'fallback', port: 80, ingress: 'default/a' });
  });

  it('lets the oldest Ingress win a host and path two claim, and merges their other paths', () => {
    const t = buildRoutes([
      ing('new', [{ host: 'h', paths: [{ path: '/', svc: 'new' }, { path: '/b', svc: 'b' }] }], { ts: '2026-01-02T00:00:00Z', def: 'new-def' }),
      ing('old', [{ host: 'h', paths: [{ path: '/', svc: 'old' }] }], { ts: '2026-01-01T00:00:00Z', def: 'old-def' }),
    ]);
    expect(svcOf(t, 'h', '/a')).toBe('old');
    expect(svcOf(t, 'h', '/b/c')).toBe('b');
    expect(t.defaultBackend?.service).toBe('old-def');
  });

  it('keeps port names and skips paths that cannot be served', () => {
    const t = buildRoutes([ing('a', [{ host: 'h', paths: [{ path: '/n', svc: 'named', port: 'http' }, { path: 'relative', svc: 'bad' }] }])]);
    expect(matchRoute(t, 'h', '/n')?.backend).toEqual({ namespace: 'default', service: 'named', port: 'http' });
    expect(t.exact.get('h')).toHaveLength(1);
  });

  it('attaches a canary to the main route of the same host and path, and ignores one without', () => {
    const canary = { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' };
    const t = buildRoutes([
      ing('main', [{ host: 'h', paths: [{ path: '/', svc: 'stable' }] }]),
      ing('canary', [{ host: 'h', paths: [{ path: '/', svc: 'next' }, { path: '/lonely', svc: 'lonely' }] }], { annotations: canary, def: 'canary-def' }),
    ]);
    const r = matchRoute(t, 'h', '/x')!;
    expect(r.backend.service).toBe('stable');
    expect(r.canary).toMatchObject({ weight: 20, weightTotal: 100, backend: { service: 'next' }, ingress: 'default/canary' });
    expect(matchRoute(t, 'h', '/lonely')?.backend.service).toBe('stable');
    expect(t.defaultBackend).toBeUndefined();
  });
});
