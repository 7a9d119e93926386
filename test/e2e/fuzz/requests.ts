import { dump } from 'js-yaml';
import { messageFor } from '../../../pkg/api/protobuf/index.ts';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import { encodeMessage } from '../../api/protobuf/encode.ts';
import { envelope } from '../../api/protobuf/writer.ts';
import { mutateBytes, mutateJson } from '../../helpers/mutate.ts';
import type { Random } from '../../helpers/random.ts';
import { clusterPrefix, fuzzNamespace, hasSeed, seedObject, writable } from './seeds.ts';
import { listPath } from './snapshot.ts';

// Lone surrogates cannot be percent-encoded; the server sees their replacement character instead.
const enc = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

export type Op = 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'subresource' | 'read' | 'junk';

export interface FuzzRequest {
  op: Op;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  def?: ResourceDef;
  namespace?: string;
  /** The object the path names (for a subresource, its parent). */
  name?: string;
  subresource?: string;
  /** dryRun=All: even when accepted it must leave the store as it was. */
  dryRun: boolean;
}

export interface Targets {
  defs: ResourceDef[];
  /** Names of the seed objects of each writable def, by `group/plural`. */
  seeds: Map<string, string[]>;
}

export const seedNames = (def: ResourceDef): string[] => [0, 1].map((i) => (def.namespaced ? `seed-${i}` : `${clusterPrefix}seed-${def.plural}-${i}`));

/** The i-th request of a run: which kind of request, then its target, body, encoding and query. */
export function generate(rnd: Random, t: Targets, i: number): FuzzRequest {
  const writableDefs = t.defs.filter(writable);
  const def = rnd.pick(rnd.chance(0.9) ? writableDefs.filter(hasSeed) : writableDefs);
  const op = rnd.weighted<Op>([[30, 'create'], [14, 'update'], [22, 'patch'], [7, 'delete'], [1, 'deletecollection'], [12, 'subresource'], [10, 'read'], [4, 'junk']]);
  if (op === 'read') return read(rnd, rnd.pick(t.defs));
  if (op === 'junk') return junk(rnd);
  const namespace = def.namespaced ? (rnd.chance(0.95) ? fuzzNamespace : rnd.pick(['nope', 'Bad_NS', 'default', ''])) : undefined;
  const fresh = def.namespaced ? `fz-${i}` : `${clusterPrefix}${i}`;
  const existing = t.seeds.get(`${def.group}/${def.plural}`) ?? [fresh];
  const q = writeQuery(rnd);
  const base = { def, namespace, dryRun: q.dryRun, headers: {} as Record<string, string> };
  switch (op) {
    case 'create': {
      const obj = seedObject(def, fresh);
      if (namespace !== undefined) (obj.metadata as Record<string, unknown>).namespace = namespace;
      return { ...base, op, method: 'POST', path: `${collectionPath(def, namespace)}${q.text}`, name: fresh, ...encoded(rnd, rnd.chance(0.75) ? mutateJson(rnd, obj) : obj) };
    }
    case 'update': {
      const name = rnd.chance(0.7) ? rnd.pick(existing) : fresh;
      return { ...base, op, method: 'PUT', path: `${itemPath(def, namespace, name)}${q.text}`, name, ...encoded(rnd, mutateJson(rnd, seedObject(def, name))) };
    }
    case 'patch': {
      const name = rnd.chance(0.8) ? rnd.pick(existing) : fresh;
      const p = patch(rnd, seedObject(def, name));
      return { ...base, op, method: 'PATCH', path: `${itemPath(def, namespace, name)}${q.text}${p.query}`, name, headers: { 'Content-Type': p.contentType }, body: p.body };
    }
    case 'delete': {
      const name = rnd.chance(0.3) ? rnd.pick(existing) : fresh;
      return { ...base, op, method: 'DELETE', path: `${itemPath(def, namespace, name)}${q.text}${deleteQuery(rnd)}`, name, ...deleteBody(rnd) };
    }
    case 'deletecollection': {
      const selector = rnd.pick(['fuzz=nomatch', 'fuzz in (x,y)', rnd.string(true), '!!', 'a=b=c']);
      return { ...base, op, method: 'DELETE', path: `${collectionPath(def, namespace)}${q.text}&labelSelector=${enc(selector)}` };
    }
    default:
      return { ...base, op: 'subresource', ...subresource(rnd, def, namespace, rnd.pick(existing), q.text) };
  }
}

const prefix = (def: ResourceDef) => (def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`);
const collectionPath = (def: ResourceDef, ns: string | undefined) => (def.namespaced ? `${prefix(def)}/namespaces/${enc(ns ?? '')}/${def.plural}` : `${prefix(def)}/${def.plural}`);
const itemPath = (def: ResourceDef, ns: string | undefined, name: string) => `${collectionPath(def, ns)}/${enc(name)}`;

function writeQuery(rnd: Random): { text: string; dryRun: boolean } {
  const params: string[] = [];
  const dryRun = rnd.chance(0.25);
  if (dryRun) params.push('dryRun=All');
  else if (rnd.chance(0.03)) params.push(`dryRun=${enc(rnd.string(true))}`);
  if (rnd.chance(0.5)) params.push(`fieldManager=${enc(rnd.pick(['fuzz', 'kubectl-create', '', rnd.string(true)]))}`);
  if (rnd.chance(0.5)) params.push(`fieldValidation=${rnd.pick(['Strict', 'Warn', 'Ignore', 'strict', 'bogus'])}`);
  if (rnd.chance(0.03)) params.push(rnd.pick(['%zz', 'pretty=1', '=', '&&']));
  return { text: `?${params.join('&')}`, dryRun };
}

/** A body as JSON, YAML, protobuf or an odd media type, sometimes with its bytes damaged. */
function encoded(rnd: Random, obj: Record<string, unknown>): { headers: Record<string, string>; body: Buffer } {
  let contentType = rnd.weighted([[55, 'application/json'], [15, 'application/yaml'], [25, 'application/vnd.kubernetes.protobuf'], [5, 'junk']]);
  let body: Buffer;
  if (contentType === 'application/json') body = Buffer.from(JSON.stringify(obj));
  else if (contentType === 'application/yaml') body = Buffer.from(dump(obj, { skipInvalid: true }));
  else if (contentType === 'application/vnd.kubernetes.protobuf') body = protobuf(obj);
  else {
    contentType = rnd.pick(['text/plain', 'application/xml', '', 'application/json; charset=utf-16', 'application/vnd.kubernetes.protobuf;stream=watch', 'application/merge-patch+json']);
    body = Buffer.from(JSON.stringify(obj));
  }
  if (rnd.chance(0.25)) body = mutateBytes(rnd, body);
  return { headers: contentType ? { 'Content-Type': contentType } : {}, body };
}

/** The object in the protobuf envelope; a kind without a message still goes out (the server must 415 it). */
function protobuf(obj: Record<string, unknown>): Buffer {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const message = messageFor(apiVersion, kind);
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return envelope(apiVersion, kind, message ? encodeMessage(message, rest) : [...Buffer.from(JSON.stringify(rest))]);
}

function patch(rnd: Random, seed: Record<string, unknown>): { contentType: string; body: Buffer; query: string } {
  const type = rnd.pick(['merge', 'strategic', 'json', 'apply', 'apply']);
  let text: string;
  if (type === 'json') {
    const ops = Array.from({ length: 1 + rnd.int(3) }, () => ({
      op: rnd.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus']),
      path: rnd.pick(['/metadata/labels/x', '/spec/replicas', '/data/mode', '/spec/template/spec/containers/0/image', '/spec/ports/-', '/spec/containers/99', '', '/', '/a~2b', '/metadata/name', '/kind', rnd.string()]),
      value: rnd.value(),
      from: rnd.pick(['/metadata/labels', '/spec', '/nope']),
    }));
    text = JSON.stringify(rnd.chance(0.1) ? ops[0] : ops);
  } else if (type === 'apply') {
    const full = rnd.chance(0.6) ? mutateJson(rnd, seed) : seed;
    text = rnd.chance(0.5) ? JSON.stringify(full) : dump(full, { skipInvalid: true });
  } else {
    const partial: Record<string, unknown> = { metadata: { labels: { fuzz: rnd.string() } } };
    if (seed.spec) partial.spec = seed.spec;
    if (type === 'strategic' && rnd.chance(0.3)) partial.spec = { ...(seed.spec as object ?? {}), $patch: rnd.pick(['delete', 'replace', 'merge', 'bogus']), '$setElementOrder/containers': [{ name: 'x' }], '$retainKeys': rnd.value() };
    text = JSON.stringify(mutateJson(rnd, partial));
  }
  let body: Buffer = Buffer.from(text);
  if (rnd.chance(0.2)) body = mutateBytes(rnd, body);
  const contentType = { merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json', json: 'application/json-patch+json', apply: 'application/apply-patch+yaml' }[type]!;
  const query = type === 'apply' ? rnd.pick(['&fieldManager=fuzz-apply', '&fieldManager=fuzz-apply&force=true', '', '&force=maybe']) : '';
  return { contentType, body, query };
}

function deleteQuery(rnd: Random): string {
  const out: string[] = [];
  if (rnd.chance(0.3)) out.push(`gracePeriodSeconds=${rnd.pick(['0', '-1', '30', 'abc', '99999999999999999999'])}`);
  if (rnd.chance(0.3)) out.push(`propagationPolicy=${rnd.pick(['Foreground', 'Background', 'Orphan', 'Sideways'])}`);
  if (rnd.chance(0.1)) out.push(`orphanDependents=${rnd.pick(['true', 'yes'])}`);
  return out.length ? `&${out.join('&')}` : '';
}

function deleteBody(rnd: Random): { headers: Record<string, string>; body?: Buffer } {
  const options = { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Background', preconditions: { uid: rnd.chance(0.5) ? 'not-the-uid' : undefined } };
  const kind = rnd.int(4);
  if (kind === 0) return { headers: {} };
  if (kind === 3) return { headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, body: mutateMaybe(rnd, envelope('v1', 'DeleteOptions', encodeMessage('meta.v1.DeleteOptions', mutateJson(rnd, options)))) };
  return { headers: { 'Content-Type': 'application/json' }, body: mutateMaybe(rnd, Buffer.from(JSON.stringify(mutateJson(rnd, options)))) };
}

const mutateMaybe = (rnd: Random, b: Buffer) => (rnd.chance(0.3) ? mutateBytes(rnd, b) : b);

function subresource(rnd: Random, def: ResourceDef, namespace: string | undefined, name: string, query: string): Omit<FuzzRequest, 'op' | 'dryRun' | 'def' | 'namespace'> {
  const item = itemPath(def, namespace, name);
  const subs = ['status', ...(def.subresources ?? []).map((s) => s.name).filter((s) => ['scale', 'eviction', 'binding', 'token', 'finalize', 'status'].includes(s))];
  const sub = rnd.pick(subs);
  const meta = { name, ...(namespace ? { namespace } : {}) };
  const bodies: Record<string, () => Record<string, unknown>> = {
    status: () => ({ ...seedObject(def, name), status: rnd.value() }),
    scale: () => ({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: meta, spec: { replicas: 2 } }),
    eviction: () => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: meta, deleteOptions: { gracePeriodSeconds: 0 } }),
    binding: () => ({ apiVersion: 'v1', kind: 'Binding', metadata: meta, target: { apiVersion: 'v1', kind: 'Node', name: 'nowhere' } }),
    token: () => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: meta, spec: { audiences: ['x'], expirationSeconds: 600 } }),
    finalize: () => ({ ...seedObject(def, name), spec: { finalizers: ['kubernetes'] } }),
  };
  const obj = mutateJson(rnd, bodies[sub]());
  const path = `${item}/${sub}${query}`;
  if (sub === 'eviction' || sub === 'binding' || sub === 'token') return { method: 'POST', path, name, subresource: sub, ...encoded(rnd, obj) };
  if (sub === 'scale' && rnd.chance(0.3)) return { method: 'GET', path, name, subresource: sub, headers: {} };
  if (rnd.chance(0.5)) return { method: 'PUT', path, name, subresource: sub, ...encoded(rnd, obj) };
  const p = patch(rnd, obj);
  return { method: 'PATCH', path: `${path}${p.query}`, name, subresource: sub, headers: { 'Content-Type': p.contentType }, body: p.body };
}

function read(rnd: Random, def: ResourceDef): FuzzRequest {
  const params = [
    ['labelSelector', () => rnd.pick(['app=web', 'fuzz', '!fuzz', 'a in (b', rnd.string(true)])],
    ['fieldSelector', () => rnd.pick(['metadata.name=seed-0', 'status.phase!=Running', 'spec.nodeName=', 'bogus=1', rnd.string(true)])],
    ['limit', () => rnd.pick(['1', '0', '-5', 'abc', '99999999999999999999'])],
    ['continue', () => rnd.pick(['', 'eyJ4IjoxfQ', rnd.string(true)])],
    // A resourceVersion past the store's is left out: upstream answers it with a 504 after 3 s.
    ['resourceVersion', () => rnd.pick(['0', '1', '-1', 'abc', '99999999999999999999'])],
    ['resourceVersionMatch', () => rnd.pick(['NotOlderThan', 'Exact', 'bogus'])],
    ['includeObject', () => rnd.pick(['None', 'Object', 'Metadata', 'x'])],
  ] as const;
  const q = params.filter(() => rnd.chance(0.3)).map(([k, v]) => `${k}=${enc(v())}`).join('&');
  const accept = rnd.pick(['application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json', 'application/vnd.kubernetes.protobuf', 'application/vnd.kubernetes.protobuf, */*', 'text/html', '']);
  const namespaced = def.namespaced && rnd.chance(0.6);
  const base = namespaced ? collectionPath(def, fuzzNamespace) : listPath(def);
  const path = rnd.chance(0.3) ? `${base}/${rnd.pick(['seed-0', `${clusterPrefix}seed-${def.plural}-0`, 'missing', '%2e%2e'])}` : base;
  return { op: 'read', method: rnd.pick(['GET', 'GET', 'GET', 'HEAD']), path: `${path}?${q}`, headers: accept ? { Accept: accept } : {}, def, dryRun: false };
}

function junk(rnd: Random): FuzzRequest {
  const path = rnd.pick(['/api/v1/namespaces/fuzz/configmaps/a/b/c/d', '/apis/nope/v1/things', '/apis/apps', '/api/v2', '/apis/apps/v1/namespaces/fuzz/deployments/seed-0/scale/extra',
    '/api/v1/namespaces//pods', '/%', '/api/v1/namespaces/fuzz/pods/seed-0/exec', '/apis/' + 'x/'.repeat(200), '/openapi/v3/apis/nope/v1', '/version?x=%zz']);
  const method = rnd.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']);
  const body = method === 'GET' || method === 'OPTIONS' ? undefined : mutateBytes(rnd, Buffer.from('{"kind":"ConfigMap"}'));
  return { op: 'junk', method, path, headers: body ? { 'Content-Type': rnd.pick(['application/json', 'application/vnd.kubernetes.protobuf']) } : {}, body, dryRun: false };
}
