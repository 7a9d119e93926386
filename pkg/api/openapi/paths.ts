// The REST paths of one resource, as OpenAPI path items. Every operation carries
// x-kubernetes-group-version-kind (kubectl explain finds a resource's kind through it), and every
// write carries fieldValidation: kubectl looks for it on the PATCH operation to decide that the
// server validates (kubectl-api.md §12.1). The v3 PATCH declares no request body on purpose: with
// a strategic-merge-patch body declared, kubectl would compute apply patches from the v3 schemas.
// It does compute them from the v2 document (whose PATCH lists its patch types in `consumes`)
// when the kind's v2 definition carries its group/version/kind, which every served schema does.
import type { ResourceDef, Verb } from '../resource.ts';
import type { GroupVersionKind } from '../schema/index.ts';
import { refTo } from './render.ts';
import type { Flavour, Json } from './render.ts';

export interface PathContext {
  flavour: Flavour;
  /** Component name of a kind's schema, or of its list ('…List'). */
  component(gvk: GroupVersionKind): string;
}

const allVerbs: Verb[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** 'rbac.authorization.k8s.io' + 'v1' → 'RbacAuthorizationV1'; core → 'CoreV1'. */
function groupVersionWord(group: string, version: string): string {
  const words = (group ? group.replace(/\.k8s\.io$/, '') : 'core').split('.');
  return words.map(cap).join('') + cap(version);
}
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const tagOf = (group: string, version: string) => {
  const word = groupVersionWord(group, version).slice(0, -version.length);
  return `${word.charAt(0).toLowerCase()}${word.slice(1)}_${version}`;
};

export function resourcePaths(def: ResourceDef, ctx: PathContext): Record<string, Json> {
  const verbs = new Set(def.verbs ?? allVerbs);
  const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const scope = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.plural}` : `${prefix}/${def.plural}`;
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const ops = operations(def, gvk, ctx);
  const word = `${groupVersionWord(def.group, def.version)}${def.namespaced ? 'Namespaced' : ''}${def.kind}`;
  const scopeParams = def.namespaced ? [param.namespace(ctx.flavour)] : [];
  const paths: Record<string, Json> = {};

  const collection: Json = { parameters: [...scopeParams, param.pretty(ctx.flavour)] };
  if (verbs.has('list')) collection.get = ops.list(`list${word}`);
  if (verbs.has('create')) collection.post = ops.create(`create${word}`, gvk);
  if (verbs.has('deletecollection')) collection.delete = ops.deleteCollection(`deleteCollection${word}`);
  paths[scope] = collection;

  const item: Json = { parameters: [param.name(ctx.flavour), ...scopeParams, param.pretty(ctx.flavour)] };
  if (verbs.has('get')) item.get = ops.read(`read${word}`, gvk);
  if (verbs.has('update')) item.put = ops.replace(`replace${word}`, gvk);
  if (verbs.has('patch')) item.patch = ops.patch(`patch${word}`, gvk);
  if (verbs.has('delete')) item.delete = ops.remove(`delete${word}`);
  paths[`${scope}/{name}`] = item;

  if (def.namespaced && verbs.has('list')) {
    paths[`${prefix}/${def.plural}`] = {
      parameters: [param.pretty(ctx.flavour)],
      get: ops.list(`list${groupVersionWord(def.group, def.version)}${def.kind}ForAllNamespaces`),
    };
  }

  for (const sub of def.subresources ?? []) {
    const subPath = `${scope}/{name}/${sub.name}`;
    const subWord = `${word}${cap(sub.name)}`;
    const params = { parameters: [param.name(ctx.flavour), ...scopeParams, param.pretty(ctx.flavour)] };
    if (sub.name === 'status' || sub.name === 'ephemeralcontainers') {
      paths[subPath] = { ...params, get: ops.read(`read${subWord}`, gvk), put: ops.replace(`replace${subWord}`, gvk), patch: ops.patch(`patch${subWord}`, gvk) };
    } else if (sub.name === 'scale') {
      const scale = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
      paths[subPath] = { ...params, get: ops.read(`read${subWord}`, scale), put: ops.replace(`replace${subWord}`, scale), patch: ops.patch(`patch${subWord}`, scale) };
    } else if (sub.name === 'binding') {
      paths[subPath] = { ...params, post: ops.create(`create${subWord}`, { group: '', version: 'v1', kind: 'Binding' }) };
    } else if (sub.name === 'eviction') {
      paths[subPath] = { ...params, post: ops.create(`create${subWord}`, { group: 'policy', version: 'v1', kind: 'Eviction' }) };
    } else if (sub.name === 'token') {
      paths[subPath] = { ...params, post: ops.create(`create${subWord}`, { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }) };
    } else if (sub.name === 'finalize') {
      paths[subPath] = { ...params, put: ops.replace(`replace${subWord}`, gvk) };
    }
  }
  return paths;
}

function operations(def: ResourceDef, main: GroupVersionKind, ctx: PathContext) {
  const f = ctx.flavour;
  const tags = [tagOf(def.group, def.version)];
  const op = (action: string, operationId: string, description: string, gvk: GroupVersionKind, parameters: Json[], body: Body | undefined, ok: Record<string, string>): Json => {
    const o: Json = { description, operationId, tags };
    if (f === 'v2') {
      o.consumes = action === 'patch' ? patchTypes(def) : ['*/*'];
      o.produces = ['application/json', 'application/yaml'];
      o.schemes = ['https'];
    }
    const params = [...parameters];
    if (body && f === 'v2') params.unshift({ name: 'body', in: 'body', required: body.required, schema: { $ref: refTo(f, body.name) } });
    if (params.length) o.parameters = params;
    if (body && f === 'v3') o.requestBody = { required: body.required, content: content(f, body.name) };
    o.responses = Object.fromEntries([
      ...Object.entries(ok).map(([code, schema]) => [code, response(f, code, schema)]),
      ['401', { description: 'Unauthorized' }],
    ]);
    o['x-kubernetes-action'] = action;
    o['x-kubernetes-group-version-kind'] = { group: gvk.group, kind: gvk.kind, version: gvk.version };
    return o;
  };
  const kindName = (gvk: GroupVersionKind) => ctx.component(gvk);
  const listName = ctx.component({ ...main, kind: `${main.kind}List` });
  const status = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
  const write = [param.dryRun(f), param.fieldManager(f), param.fieldValidation(f)];
  const del = [param.dryRun(f), param.gracePeriodSeconds(f), param.ignoreStoreReadError(f), param.orphanDependents(f), param.propagationPolicy(f)];
  const deleteOptions = { name: 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', required: false };
  const bodyOf = (gvk: GroupVersionKind) => ({ name: kindName(gvk), required: true });
  return {
    list: (id: string) => op('list', id, `List or watch ${def.kind} objects.`, main, listParams(f), undefined, { 200: listName }),
    create: (id: string, gvk: GroupVersionKind) =>
      op('post', id, `Create ${article(gvk.kind)} ${gvk.kind}.`, gvk, write, bodyOf(gvk), { 200: kindName(gvk), 201: kindName(gvk), 202: kindName(gvk) }),
    read: (id: string, gvk: GroupVersionKind) => op('get', id, `Read the named ${gvk.kind}.`, gvk, [], undefined, { 200: kindName(gvk) }),
    replace: (id: string, gvk: GroupVersionKind) =>
      op('put', id, `Replace the named ${gvk.kind}.`, gvk, write, bodyOf(gvk), { 200: kindName(gvk), 201: kindName(gvk) }),
    patch: (id: string, gvk: GroupVersionKind) =>
      op('patch', id, `Partially update the named ${gvk.kind}.`, gvk, [...write, param.force(f)], undefined, { 200: kindName(gvk), 201: kindName(gvk) }),
    remove: (id: string) => op('delete', id, `Delete the named ${def.kind}.`, main, del, deleteOptions, { 200: status, 202: status }),
    deleteCollection: (id: string) =>
      op('deletecollection', id, `Delete a collection of ${def.kind} objects.`, main, [...del, ...listParams(f).filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks')], deleteOptions, { 200: status }),
  };
}

/**
 * The patch types a PATCH accepts, in the v2 document. kubectl's client-side apply reads this to
 * choose its patch: with strategic merge listed it builds the patch from the v2 schemas, without
 * it it sends a merge patch. Kinds described by their own schema (custom resources, CRDs) take no
 * strategic merge patch here, as the server refuses it for them (pkg/api/crd/table.ts).
 */
function patchTypes(def: ResourceDef): string[] {
  const smp = def.openapiSchema ? [] : ['application/strategic-merge-patch+json'];
  return ['application/json-patch+json', 'application/merge-patch+json', ...smp, 'application/apply-patch+yaml'];
}

interface Body {
  name: string;
  required: boolean;
}

const article = (word: string) => (/^[AEIOU]/.test(word) ? 'an' : 'a');

function content(f: Flavour, name: string): Json {
  const schema = { $ref: refTo(f, name) };
  return { 'application/json': { schema }, 'application/yaml': { schema } };
}

function response(f: Flavour, code: string, name: string): Json {
  const description = code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK';
  return f === 'v3' ? { description, content: content(f, name) } : { description, schema: { $ref: refTo(f, name) } };
}

function query(f: Flavour, name: string, description: string, type: 'string' | 'integer' | 'boolean' = 'string'): Json {
  return f === 'v3'
    ? { name, in: 'query', description, schema: { type, uniqueItems: true } }
    : { name, in: 'query', description, type, uniqueItems: true };
}

function pathParam(f: Flavour, name: string, description: string): Json {
  return f === 'v3'
    ? { name, in: 'path', required: true, description, schema: { type: 'string', uniqueItems: true } }
    : { name, in: 'path', required: true, description, type: 'string', uniqueItems: true };
}

const param = {
  name: (f: Flavour) => pathParam(f, 'name', 'Name of the object.'),
  namespace: (f: Flavour) => pathParam(f, 'namespace', 'Namespace of the objects.'),
  pretty: (f: Flavour) => query(f, 'pretty', 'Pretty-print the output when true.'),
  dryRun: (f: Flavour) => query(f, 'dryRun', 'All: run every stage of the request but persist nothing.'),
  fieldManager: (f: Flavour) => query(f, 'fieldManager', 'Name of the actor making the change, recorded in managedFields.'),
  fieldValidation: (f: Flavour) =>
    query(f, 'fieldValidation', 'What to do with unknown or duplicate fields: Ignore drops them, Warn (default) drops them with a warning, Strict fails the request.'),
  force: (f: Flavour) => query(f, 'force', 'Server-side apply only: take over fields other managers own.', 'boolean'),
  gracePeriodSeconds: (f: Flavour) => query(f, 'gracePeriodSeconds', 'Seconds before the object is deleted; 0 deletes now.', 'integer'),
  ignoreStoreReadError: (f: Flavour) =>
    query(f, 'ignoreStoreReadErrorWithClusterBreakingPotential', 'Unsafe: delete even if the stored object cannot be read.', 'boolean'),
  orphanDependents: (f: Flavour) => query(f, 'orphanDependents', 'Deprecated: use propagationPolicy.', 'boolean'),
  propagationPolicy: (f: Flavour) => query(f, 'propagationPolicy', 'How dependents are garbage collected: Orphan, Background or Foreground.'),
};

function listParams(f: Flavour): Json[] {
  return [
    query(f, 'allowWatchBookmarks', 'Ask for BOOKMARK events during a watch.', 'boolean'),
    query(f, 'continue', 'Token from a previous page to fetch the next one.'),
    query(f, 'fieldSelector', 'Only objects whose fields match, such as metadata.name=x.'),
    query(f, 'labelSelector', 'Only objects whose labels match, such as app=web.'),
    query(f, 'limit', 'Most objects to return in one page.', 'integer'),
    query(f, 'resourceVersion', 'Which version of the store to read from or watch after.'),
    query(f, 'resourceVersionMatch', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
    query(f, 'sendInitialEvents', 'Start a watch with the current objects.', 'boolean'),
    query(f, 'timeoutSeconds', 'End the call after this many seconds.', 'integer'),
    query(f, 'watch', 'Stream changes instead of returning a list.', 'boolean'),
  ];
}
