// Builds the OpenAPI documents of a resource table: one v3 document per group/version (with the
// v3 index pointing at them by content hash) and one Swagger 2.0 document for everything.
import { createHash } from 'node:crypto';
import type { ResourceDef } from '../resource.ts';
import { gvkOfId, kindSchemaIds, schemaFor } from '../schema/index.ts';
import type { GroupVersionKind } from '../schema/index.ts';
import { customResourceSchema } from './custom.ts';
import { resourcePaths } from './paths.ts';
import { closure, componentName, refTo, renderNamed } from './render.ts';
import type { Flavour, Json } from './render.ts';

/** 'api/v1' or 'apis/<group>/<version>': the key of a group/version in /openapi/v3. */
export const groupVersionPath = (def: { group: string; version: string }) => (def.group ? `apis/${def.group}/${def.version}` : `api/${def.version}`);

const info = { title: 'Kubernetes', version: 'unversioned' };
const bearer = { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer token: "Bearer <token>".' } };

const schemaId = (gvk: GroupVersionKind) => schemaFor(gvk)?.ref;

/** Component name for a kind, its list ('…List'), or a made-up name for kinds without a schema. */
export function componentFor(gvk: GroupVersionKind): string {
  const id = schemaId(gvk);
  if (id) return componentName(id);
  if (gvk.kind.endsWith('List') && schemaId({ ...gvk, kind: gvk.kind.slice(0, -4) })) {
    return `${componentFor({ ...gvk, kind: gvk.kind.slice(0, -4) })}List`;
  }
  const prefix = gvk.group ? gvk.group.split('.')[0] : 'core';
  return `io.k8s.api.${prefix}.${gvk.version}.${gvk.kind}`;
}

/** The component schemas that the paths of `served` need; `all` is every served resource. */
function components(served: ResourceDef[], all: ResourceDef[], flavour: Flavour): Record<string, Json> {
  const ids = new Set(['meta.v1.Status', 'meta.v1.DeleteOptions']);
  for (const def of served) {
    const id = schemaId(def);
    if (id) ids.add(id);
    if (def.openapiSchema) ids.add('meta.v1.ObjectMeta').add('meta.v1.ListMeta');
    for (const sub of def.subresources ?? []) {
      if (sub.name === 'scale') ids.add('autoscaling.v1.Scale');
      if (sub.name === 'binding') ids.add('core.v1.Binding');
      if (sub.name === 'eviction') ids.add('policy.v1.Eviction');
      if (sub.name === 'token') ids.add('authentication.v1.TokenRequest');
    }
  }
  const out: Record<string, Json> = {};
  const kinds = new Set(kindSchemaIds);
  for (const id of [...closure(ids)].sort()) {
    const schema = renderNamed(id, flavour);
    if (kinds.has(id)) schema['x-kubernetes-group-version-kind'] = id === 'meta.v1.DeleteOptions' ? deleteOptionsKinds(all) : [gvkObject(gvkOfId(id))];
    out[componentName(id)] = schema;
  }
  for (const def of served) {
    const gvk = { group: def.group, version: def.version, kind: def.kind };
    const name = componentFor(gvk);
    if (def.openapiSchema) out[name] = customResourceSchema(def.openapiSchema, gvk, flavour);
    else if (!out[name]) {
      out[name] = {
        type: 'object',
        description: `${def.kind} object; skiff does not publish its field schema.`,
        'x-kubernetes-preserve-unknown-fields': true,
        'x-kubernetes-group-version-kind': [gvkObject(gvk)],
      };
    }
    out[componentFor({ ...gvk, kind: `${def.kind}List` })] = listSchema(def, name, flavour);
  }
  return out;
}

function listSchema(def: ResourceDef, item: string, flavour: Flavour): Json {
  const ref = (name: string) => ({ $ref: refTo(flavour, name) });
  const wrap = (name: string, extra: Json) => (flavour === 'v3' ? { allOf: [ref(name)], ...extra } : { ...ref(name), ...extra });
  return {
    description: `A list of ${def.kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this list.' },
      items: { type: 'array', description: `The ${def.kind} objects.`, items: ref(item) },
      kind: { type: 'string', description: `Always ${def.kind}List.` },
      metadata: wrap('io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta', { description: 'Standard list metadata.' }),
    },
    'x-kubernetes-group-version-kind': [gvkObject({ group: def.group, version: def.version, kind: `${def.kind}List` })],
  };
}

/** DeleteOptions is accepted by every group/version, so it names them all, as upstream does. */
function deleteOptionsKinds(all: ResourceDef[]): Json[] {
  const gvs = new Map<string, GroupVersionKind>([['/v1', { group: '', version: 'v1', kind: 'DeleteOptions' }]]);
  for (const d of all) gvs.set(`${d.group}/${d.version}`, { group: d.group, version: d.version, kind: 'DeleteOptions' });
  return [...gvs.values()].map(gvkObject);
}

const gvkObject = (g: GroupVersionKind): Json => ({ group: g.group, kind: g.kind, version: g.version });

function paths(served: ResourceDef[], flavour: Flavour): Record<string, Json> {
  const ctx = { flavour, component: componentFor };
  return Object.assign({}, ...served.map((def) => resourcePaths(def, ctx)));
}

export function buildV3(served: ResourceDef[], all: ResourceDef[]): Json {
  return {
    openapi: '3.0.0',
    info,
    paths: paths(served, 'v3'),
    components: { schemas: components(served, all, 'v3'), securitySchemes: bearer },
    security: [{ BearerToken: [] }],
  };
}

export function buildV2(all: ResourceDef[]): Json {
  return {
    swagger: '2.0',
    info,
    paths: paths(all, 'v2'),
    definitions: components(all, all, 'v2'),
    securityDefinitions: bearer,
    security: [{ BearerToken: [] }],
  };
}

/** Upstream's `?hash=`: SHA-512 of the served bytes (the JSON text), upper-case hex. */
export const hashOf = (body: string | Uint8Array) => createHash('sha512').update(body).digest('hex').toUpperCase();
