import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../util/index.ts';
import { kubernetesVersion, skiffCommit, skiffVersion } from '../../util/index.ts';
import { aggregatedContentType, aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions } from '../discovery/index.ts';
import { openapiV2Protobuf, openapiV2Served, openapiV3Index, openapiV3Served } from '../openapi/index.ts';
import type { ApiHandler, UserInfo, WriteOptions } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { methodNotAllowed, notAcceptable, pathNotFound, toStatus, unauthorized } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { decodeObject, decodeOptionalObject, decodePatch, readBody } from './body.ts';
import { deleteResponse } from './delete-response.ts';
import { duplicateFields } from './duplicates.ts';
import { openapiV2Type, tableVersion, wantsAggregated } from './negotiate.ts';
import type { WriteOptionsKind } from '../fieldmanager/index.ts';
import { deleteOptions, int, listOptions, writeOptions } from './query.ts';
import { endPaced } from './paced-end.ts';
import { sendJson, sendStatus, sendText } from './respond.ts';
import { route, type FindResource } from './route.ts';
import { tableContentType, toTable, type IncludeObject, type TableRequest } from './table.ts';
import { streamWatch } from './watch-stream.ts';
import type { StreamingFront, Upgrade } from '../streaming/index.ts';

export interface ServeContext {
  handler: ApiHandler;
  resources: ResourceDef[];
  find: FindResource;
  authenticate(req: IncomingMessage): UserInfo | undefined | Promise<UserInfo | undefined>;
  /** The identity the request acts as (Impersonate-* headers); absent → the authenticated user. */
  impersonate?(req: IncomingMessage, user: UserInfo): Promise<UserInfo>;
  /** host:port clients reach us on, for /api's serverAddressByClientCIDRs. */
  serverAddress: string;
  ready(): boolean;
  log: Logger;
  now?: () => Date;
  /** pods/log, exec, attach, portforward and the agents' tunnel; absent → those paths are 404. */
  streaming?: StreamingFront;
}

/**
 * One HTTP request, start to end. Every failure becomes a Status; nothing thrown escapes.
 * `up` is set for requests that came through the 'upgrade' event (WebSocket, SPDY).
 */
export async function serve(ctx: ServeContext, req: IncomingMessage, res: ServerResponse, up?: Upgrade): Promise<void> {
  try {
    const authenticated = await ctx.authenticate(req);
    if (!authenticated) throw unauthorized();
    const user = ctx.impersonate ? await ctx.impersonate(req, authenticated) : authenticated;
    const url = new URL(req.url ?? '/', 'https://skiff');
    await dispatch(ctx, req, res, url, user, up);
  } catch (err) {
    const status = toStatus(err, (e) => ctx.log.error('request failed', { method: req.method, url: req.url, err: e }));
    sendStatus(res, status);
  }
}

async function dispatch(ctx: ServeContext, req: IncomingMessage, res: ServerResponse, url: URL, user: UserInfo, up?: Upgrade): Promise<void> {
  if (ctx.streaming?.isTunnel(url.pathname)) return ctx.streaming.serveTunnel({ req, res, url, user, up });
  const r = route(url.pathname, ctx.find);
  const method = req.method ?? 'GET';
  if (r.type !== 'resource' && method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
  switch (r.type) {
    case 'version':
      return sendJson(res, 200, versionInfo());
    case 'health':
      if (r.check === 'readyz' && !ctx.ready()) return sendText(res, 503, 'not ready');
      return sendText(res, 200, url.searchParams.has('verbose') ? `[+]ping ok\n[+]store ok\n${r.check} check passed\n` : 'ok');
    case 'openapi':
      return serveOpenapi(ctx, req, res, r.path, url);
    case 'discovery':
      return serveDiscovery(ctx, req, res, r.path);
  }
  const { def, namespace, name, subresource } = r;
  if (name && subresource && ctx.streaming?.handles(def, subresource)) return ctx.streaming.servePod({ req, res, url, user, up, def, namespace, name, subresource });
  const q = url.searchParams;
  // The User-Agent names the field manager of a write that gives no fieldManager.
  const write = (kind: WriteOptionsKind, raw?: Buffer): WriteOptions => {
    const o = writeOptions(q, kind);
    const ua = req.headers['user-agent'];
    if (ua) o.userAgent = ua;
    const duplicates = raw ? duplicateFields(req, raw) : [];
    if (duplicates.length) o.duplicateFields = duplicates;
    return o;
  };
  const now = ctx.now ?? (() => new Date());
  const version = subresource ? undefined : tableVersion(req);
  const table: TableRequest | undefined = version && { version, include: includeObject(q) };
  switch (method) {
    case 'GET':
    case 'HEAD': {
      if (name) {
        const obj = await ctx.handler.get({ verb: 'get', def, namespace, name, subresource, resourceVersion: q.get('resourceVersion') ?? undefined }, user);
        if (table) return sendTable(res, table.version, toTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion }, table, now()));
        return sendJson(res, 200, obj);
      }
      if (q.get('watch') === 'true' || q.get('watch') === '1') {
        const ac = new AbortController();
        res.on('close', () => ac.abort());
        const events = await ctx.handler.watch({
          verb: 'watch', def, namespace,
          options: { ...listOptions(q), allowWatchBookmarks: q.get('allowWatchBookmarks') === 'true', timeoutSeconds: int(q, 'timeoutSeconds'), signal: ac.signal },
        }, user);
        return streamWatch(res, events, def, table, now);
      }
      const list = await ctx.handler.list({ verb: 'list', def, namespace, options: listOptions(q) }, user);
      if (table) return sendTable(res, table.version, toTable(def, list.items, list.metadata, table, now()));
      return sendJson(res, 200, list);
    }
    case 'POST': {
      // Items take POST only on subresources (binding, eviction); collections take creates.
      if (name && !subresource) throw methodNotAllowed();
      const raw = await readBody(req);
      const body = decodeObject(req, raw) as KObject;
      const out = await ctx.handler.create({ verb: 'create', def, namespace, name, subresource, body, options: write('CreateOptions', raw) }, user);
      return sendJson(res, out.created === false ? 200 : 201, out.object, 'application/json', out.warnings);
    }
    case 'PUT': {
      if (!name) throw methodNotAllowed();
      const raw = await readBody(req);
      const body = decodeObject(req, raw) as KObject;
      const out = await ctx.handler.update({ verb: 'update', def, namespace, name, subresource, body, options: write('UpdateOptions', raw) }, user);
      return sendJson(res, out.created ? 201 : 200, out.object, 'application/json', out.warnings);
    }
    case 'PATCH': {
      if (!name) throw methodNotAllowed();
      const raw = await readBody(req);
      const { type, patch } = decodePatch(req, raw);
      const out = await ctx.handler.patch({ verb: 'patch', def, namespace, name, subresource, patchType: type, patch, options: write('PatchOptions', raw) }, user);
      return sendJson(res, out.created ? 201 : 200, out.object, 'application/json', out.warnings);
    }
    case 'DELETE': {
      if (subresource) throw methodNotAllowed();
      const options = deleteOptions(q, decodeOptionalObject(req, await readBody(req)));
      if (!name) return sendJson(res, 200, await ctx.handler.deletecollection({ verb: 'deletecollection', def, namespace, listOptions: listOptions(q), options }, user));
      const out = await ctx.handler.delete({ verb: 'delete', def, namespace, name, options }, user);
      const { code, body } = deleteResponse(def, out, options);
      return sendJson(res, code, body, 'application/json', out.warnings);
    }
    default:
      throw methodNotAllowed();
  }
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

const sendTable = (res: ServerResponse, version: TableRequest['version'], table: unknown) => sendJson(res, 200, table, tableContentType(version));

function versionInfo() {
  return {
    major: kubernetesVersion.major,
    minor: kubernetesVersion.minor,
    gitVersion: `${kubernetesVersion.gitVersion}+skiff${skiffVersion}`,
    gitCommit: skiffCommit,
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: process.version,
    compiler: 'node',
    platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

function serveDiscovery(ctx: ServeContext, req: IncomingMessage, res: ServerResponse, path: string): void {
  const aggregated = wantsAggregated(req);
  if (path === '/api') {
    if (aggregated) return sendJson(res, 200, aggregatedDiscovery(ctx.resources, true, aggregated), aggregatedContentType(aggregated));
    return sendJson(res, 200, apiVersions(ctx.serverAddress));
  }
  if (path === '/apis') {
    if (aggregated) return sendJson(res, 200, aggregatedDiscovery(ctx.resources, false, aggregated), aggregatedContentType(aggregated));
    return sendJson(res, 200, apiGroupList(ctx.resources));
  }
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) {
    const doc = apiResourceList(ctx.resources, '', parts[1]);
    if (doc) return sendJson(res, 200, doc);
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const doc = apiGroupDoc(ctx.resources, parts[1]);
    if (doc) return sendJson(res, 200, doc);
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const doc = apiResourceList(ctx.resources, parts[1], parts[2]);
    if (doc) return sendJson(res, 200, doc);
  }
  throw pathNotFound();
}

function serveOpenapi(ctx: ServeContext, req: IncomingMessage, res: ServerResponse, path: string, url: URL): void {
  if (path === 'v3') return sendJson(res, 200, openapiV3Index(ctx.resources));
  if (path === 'v2') {
    const type = openapiV2Type(req);
    if (!type) throw notAcceptable('only application/json and application/com.github.proto-openapi.spec.v2@v1.0+protobuf are served for /openapi/v2');
    const doc = type === 'application/json' ? openapiV2Served(ctx.resources) : openapiV2Protobuf(ctx.resources);
    // Both protobuf spellings are answered with the one Go's mime parser accepts ('@' is not a token character).
    return sendRaw(res, 'json' in doc ? doc.json : doc.bytes, doc.hash, false, 'json' in doc ? type : 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  }
  if (path.startsWith('v3/')) {
    const doc = openapiV3Served(ctx.resources, path.slice(3));
    if (doc) return sendRaw(res, doc.json, doc.hash, url.searchParams.get('hash') === doc.hash);
  }
  throw pathNotFound();
}

function sendRaw(res: ServerResponse, body: string | Uint8Array, hash: string, immutable: boolean, type = 'application/json'): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    ETag: `"${hash}"`,
    'Cache-Control': immutable ? 'public, immutable' : 'no-cache, private',
  });
  endPaced(res, typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.length));
}
