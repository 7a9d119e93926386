import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import { openapiV2Served, openapiV3Index, openapiV3Served } from '../../../pkg/api/openapi/index.ts';

/**
 * Just enough of an API server over plain HTTP for kubectl commands that only read discovery and
 * OpenAPI (explain, create --dry-run=client): /version, legacy discovery and the /openapi routes.
 * Every request is recorded so tests can see what kubectl asked for.
 */
export async function startExplainServer(defs: ResourceDef[]): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const groups = new Map<string, ResourceDef[]>();
  for (const d of defs) groups.set(`${d.group}/${d.version}`, [...(groups.get(`${d.group}/${d.version}`) ?? []), d]);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const p = url.pathname;
    if (p === '/version') return json(200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
    if (p === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (p === '/apis') {
      const named = [...new Set(defs.filter((d) => d.group).map((d) => d.group))].map((name) => {
        const versions = [...new Set(defs.filter((d) => d.group === name).map((d) => d.version))].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
        return { name, versions, preferredVersion: versions[0] };
      });
      return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: named });
    }
    const gv = /^\/api\/(v1)$/.exec(p) ?? /^\/apis\/([^/]+\/[^/]+)$/.exec(p);
    if (gv) {
      const key = p.startsWith('/api/') ? `/${gv[1]}` : gv[1];
      const rows = groups.get(key);
      if (!rows) return json(404, { kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound' });
      const resources = rows.flatMap((d) => [
        { name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, shortNames: d.shortNames ?? [],
          verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
        ...(d.subresources ?? []).map((s) => ({ name: `${d.plural}/${s.name}`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get'] })),
      ]);
      return json(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: key.replace(/^\//, ''), resources });
    }
    if (p === '/openapi/v3') return json(200, openapiV3Index(defs));
    if (p.startsWith('/openapi/v3/')) {
      const doc = openapiV3Served(defs, p.slice('/openapi/v3/'.length));
      return doc ? json(200, doc.json) : json(404, { kind: 'Status', code: 404 });
    }
    if (p === '/openapi/v2') {
      const accept = req.headers.accept ?? '';
      if (!accept.includes('json') && !accept.includes('*/*')) return json(406, { kind: 'Status', code: 406, reason: 'NotAcceptable' });
      return json(200, openapiV2Served(defs).json);
    }
    return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
