// Renders the schema DSL as OpenAPI: v3 (`#/components/schemas/…`, `$ref`s with siblings wrapped
// in allOf) or Swagger 2.0 (`#/definitions/…`, `$ref` with siblings). Names follow upstream's
// component keys so clients that know them (kubectl explain, client generators) feel at home.
import { resolve, schemas } from '../schema/index.ts';
import type { Schema } from '../schema/index.ts';

export type Flavour = 'v2' | 'v3';
export type Json = Record<string, unknown>;

const packageOfPrefix: Record<string, string> = {
  meta: 'io.k8s.apimachinery.pkg.apis.meta',
  resource: 'io.k8s.apimachinery.pkg.api.resource',
  intstr: 'io.k8s.apimachinery.pkg.util.intstr',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
};

/** 'apps.v1.Deployment' → 'io.k8s.api.apps.v1.Deployment'; 'intstr.IntOrString' → 'io.k8s.apimachinery.pkg.util.intstr.IntOrString'. */
export function componentName(id: string): string {
  const [prefix, ...rest] = id.split('.');
  return `${packageOfPrefix[prefix] ?? `io.k8s.api.${prefix}`}.${rest.join('.')}`;
}

export const refTo = (flavour: Flavour, name: string) => (flavour === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}`);

/** The named schema `id` as a component/definition. */
export function renderNamed(id: string, flavour: Flavour): Json {
  const s = schemas[id];
  if (!s) throw new Error(`schema ${id} is not defined`);
  return render(s, flavour);
}

/** One schema node. A `ref` becomes a reference; everything else is copied with its extensions. */
export function render(s: Schema, flavour: Flavour): Json {
  const out: Json = {};
  if (s.scalar) Object.assign(out, scalar(s.scalar, flavour));
  if (s.type) out.type = s.type;
  if (s.format) out.format = s.format;
  if (s.description) out.description = s.description;
  if (s.enum) out.enum = s.enum;
  if (s.required) out.required = s.required;
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, render(v, flavour)]));
  if (s.items) out.items = render(s.items, flavour);
  if (s.additionalProperties) out.additionalProperties = render(s.additionalProperties, flavour);
  if (s.patchMergeKey) out['x-kubernetes-patch-merge-key'] = s.patchMergeKey;
  if (s.patchStrategy) out['x-kubernetes-patch-strategy'] = s.patchStrategy;
  if (s.listType) out['x-kubernetes-list-type'] = s.listType;
  if (s.listMapKeys) out['x-kubernetes-list-map-keys'] = s.listMapKeys;
  const mapType = s.mapType ?? s.structType;
  if (mapType) out['x-kubernetes-map-type'] = mapType;
  if (!s.ref) return out;
  const ref = { $ref: refTo(flavour, componentName(s.ref)) };
  if (!Object.keys(out).length) return ref;
  return flavour === 'v3' ? { allOf: [ref], ...out } : { ...ref, ...out };
}

function scalar(kind: 'quantity' | 'int-or-string', flavour: Flavour): Json {
  if (flavour === 'v2') return kind === 'quantity' ? { type: 'string' } : { type: 'string', format: 'int-or-string' };
  return kind === 'quantity'
    ? { oneOf: [{ type: 'string' }, { type: 'number' }] }
    : { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] };
}

/** Every named schema `ids` reach through refs, including themselves. */
export function closure(ids: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const visit = (s: Schema) => {
    if (s.ref) add(s.ref);
    if (s.properties) Object.values(s.properties).forEach(visit);
    if (s.items) visit(s.items);
    if (s.additionalProperties) visit(s.additionalProperties);
  };
  const add = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    visit(resolve({ ref: id }));
  };
  for (const id of ids) add(id);
  return seen;
}
