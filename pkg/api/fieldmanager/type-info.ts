import { resolve, schemaFor, type GroupVersionKind, type Schema } from '../schema/index.ts';

/**
 * How field tracking sees one node of an object (structured-merge-diff's schema, derived from
 * pkg/api/schema):
 * - `scalar`, `atomic` — a leaf: owned and compared as a whole (atomic structs, maps and lists).
 * - `struct` — granular; `field(name)` says how each field is typed and what Go's zero value of
 *   the parent holds there (see FieldInfo.zero).
 * - `map` — granular map: every key is a field path element, values typed by `values()`.
 * - `set` — list of scalars, items are `v:<value>` elements.
 * - `assoc` — list map, items are `k:{…}` elements keyed by `keys`.
 * - `deduced` — no schema: objects are granular, lists atomic (upstream's deduced type).
 */
export type TypeInfo =
  | { readonly kind: 'scalar' | 'atomic' | 'set' | 'deduced' }
  | { readonly kind: 'struct'; field(name: string): FieldInfo | undefined }
  | { readonly kind: 'map'; values(): TypeInfo }
  | { readonly kind: 'assoc'; readonly keys: readonly string[]; readonly keyDefaults?: Readonly<Record<string, unknown>>; items(): TypeInfo };

export interface FieldInfo {
  type: TypeInfo;
  /**
   * What the field holds in a parent that is present but never set it — upstream compares typed
   * Go objects, where non-pointer structs serialise as `{}`, fields without omitempty as their
   * zero (`null`, `0`, `""`, `false`). undefined: absent (omitempty). Decides whether a node
   * that appears counts as added itself (FieldsV1 `.`) and whether setting a zero is a change.
   */
  zero?: unknown;
  /**
   * An empty map or list here is absent: Go's `omitempty` drops it (maps and slices are never
   * pointers). Scalars are left alone — pointer-ness is unknown, and `*string ""` means something.
   */
  emptyIsAbsent?: boolean;
}

export const deduced: TypeInfo = { kind: 'deduced' };

/** The type of a kind's objects; `deduced` when pkg/api/schema has no schema for it. */
export function typeInfoFor(gvk: GroupVersionKind): TypeInfo {
  const schema = schemaFor(gvk);
  return schema ? typeInfoOf(schema, true) : deduced;
}

/**
 * Types upstream marks `+structType=atomic` that pkg/api/schema does not (yet) tag. A field's own
 * `structType` wins (PersistentVolumeSpec.claimRef is granular).
 */
const ATOMIC_STRUCTS = new Set([
  'meta.v1.LabelSelector', 'meta.v1.OwnerReference', 'core.v1.ObjectReference', 'core.v1.LocalObjectReference',
  'core.v1.TypedLocalObjectReference', 'core.v1.ConfigMapKeySelector', 'core.v1.SecretKeySelector',
  'core.v1.ObjectFieldSelector', 'core.v1.ResourceFieldSelector', 'core.v1.NodeSelector', 'core.v1.NodeSelectorTerm',
  'core.v1.TopologySelectorTerm', 'core.v1.SecretReference',
]);

/**
 * Non-pointer struct fields (Go serialises them as `{}` even when empty) beyond a kind's own
 * metadata/spec/status. pkg/api/schema does not record pointer-ness.
 */
const VALUE_STRUCTS: Record<string, readonly string[]> = {
  'core.v1.PodTemplateSpec': ['metadata', 'spec'],
  'batch.v1.JobTemplateSpec': ['metadata', 'spec'],
  'apps.v1.DeploymentSpec': ['template', 'strategy'],
  'apps.v1.ReplicaSetSpec': ['template'],
  'apps.v1.StatefulSetSpec': ['template', 'updateStrategy'],
  'apps.v1.DaemonSetSpec': ['template', 'updateStrategy'],
  'batch.v1.JobSpec': ['template'],
  'batch.v1.CronJobSpec': ['jobTemplate'],
  'core.v1.Container': ['resources'],
  'core.v1.EphemeralContainer': ['resources'],
  'core.v1.ContainerStatus': ['state', 'lastState'],
  'core.v1.NodeStatus': ['daemonEndpoints', 'nodeInfo'],
  'core.v1.NodeDaemonEndpoints': ['kubeletEndpoint'],
  'core.v1.ServiceStatus': ['loadBalancer'],
  'networking.v1.IngressStatus': ['loadBalancer'],
  'core.v1.PersistentVolumeClaimSpec': ['resources'],
  'autoscaling.v1.HorizontalPodAutoscalerSpec': ['scaleTargetRef'],
  'autoscaling.v2.HorizontalPodAutoscalerSpec': ['scaleTargetRef'],
  'core.v1.Event': ['involvedObject', 'source'],
  'networking.v1.NetworkPolicySpec': ['podSelector'],
  'rbac.v1.RoleBinding': ['roleRef'],
  'rbac.v1.ClusterRoleBinding': ['roleRef'],
};

const KIND_VALUE_FIELDS = ['metadata', 'spec', 'status'];

/**
 * OpenAPI `default`s of list-map key fields (pkg/api/schema carries no defaults): an applied
 * `{containerPort: 80}` is the item keyed `{"containerPort":80,"protocol":"TCP"}`.
 */
const KEY_DEFAULTS: Record<string, Record<string, unknown>> = {
  'core.v1.ContainerPort': { protocol: 'TCP' },
  'core.v1.ServicePort': { protocol: 'TCP' },
};

/** Schema ids the tables above name, for a test that they all exist. */
export const overlayIds: readonly string[] = [...ATOMIC_STRUCTS, ...Object.keys(VALUE_STRUCTS)];

const cache = new WeakMap<Schema, TypeInfo>();
const rootCache = new WeakMap<Schema, TypeInfo>();

/** `field` is the node naming the type (its `ref` and field-level tags); `root` for a kind. */
function typeInfoOf(fieldNode: Schema, root = false): TypeInfo {
  const s = resolve(fieldNode);
  if (s.type === 'array') return listInfo(fieldNode);
  if (fieldNode.structType === 'atomic' || s.structType === 'atomic' || s.mapType === 'atomic' || fieldNode.mapType === 'atomic') return { kind: 'atomic' };
  if (s.properties) {
    if (fieldNode.structType !== 'granular' && fieldNode.ref && ATOMIC_STRUCTS.has(fieldNode.ref)) return { kind: 'atomic' };
    const memo = root ? rootCache : cache;
    const known = memo.get(s);
    if (known) return known;
    const info = structInfo(s, valueFields(fieldNode.ref, root));
    memo.set(s, info);
    return info;
  }
  if (s.additionalProperties) {
    const values = s.additionalProperties;
    return { kind: 'map', values: () => typeInfoOf(values) };
  }
  if (s.preserveUnknownFields || (!s.type && !s.scalar)) return deduced;
  return { kind: 'scalar' };
}

function valueFields(id: string | undefined, root: boolean): ReadonlySet<string> {
  return new Set([...(root ? KIND_VALUE_FIELDS : []), ...((id && VALUE_STRUCTS[id]) || [])]);
}

function structInfo(s: Schema, values: ReadonlySet<string>): TypeInfo {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const fields = new Map<string, FieldInfo>();
  return {
    kind: 'struct',
    field(name) {
      const known = fields.get(name);
      if (known) return known;
      const prop = Object.hasOwn(props, name) ? props[name] : undefined;
      if (!prop) return undefined;
      const type = typeInfoOf(prop);
      const info: FieldInfo = { type };
      if (values.has(name) && type.kind === 'struct') info.zero = {};
      else if (required.has(name)) info.zero = zeroOf(prop, type);
      else if (isCollection(prop)) info.emptyIsAbsent = true;
      fields.set(name, info);
      return info;
    },
  };
}

function isCollection(prop: Schema): boolean {
  const s = resolve(prop);
  return s.type === 'array' || (!s.properties && !!s.additionalProperties);
}

function zeroOf(prop: Schema, type: TypeInfo): unknown {
  const s = resolve(prop);
  if (type.kind !== 'scalar' || s.format === 'date-time' || s.scalar) return null;
  if (s.type === 'integer' || s.type === 'number') return 0;
  if (s.type === 'boolean') return false;
  return s.type === 'string' ? '' : null;
}

function listInfo(fieldNode: Schema): TypeInfo {
  const s = resolve(fieldNode);
  const listType = fieldNode.listType ?? s.listType;
  const items = s.items;
  const itemInfo = () => (items ? typeInfoOf(items) : deduced);
  if (listType === 'atomic') return { kind: 'atomic' };
  if (listType === 'set') return { kind: 'set' };
  const keys = fieldNode.listMapKeys ?? s.listMapKeys;
  const keyDefaults = items?.ref ? KEY_DEFAULTS[items.ref] : undefined;
  if (listType === 'map' && keys?.length) return { kind: 'assoc', keys, items: itemInfo, ...(keyDefaults ? { keyDefaults } : {}) };
  // No list-type marker: kube-openapi's rule — a `merge` patch strategy makes the list
  // associative on its merge key, or a set without one.
  const strategy = fieldNode.patchStrategy ?? s.patchStrategy;
  if (strategy?.split(',').includes('merge')) {
    const mergeKey = fieldNode.patchMergeKey ?? s.patchMergeKey;
    return mergeKey ? { kind: 'assoc', keys: [mergeKey], items: itemInfo } : { kind: 'set' };
  }
  return { kind: 'atomic' };
}
