import type { ResourceDef } from '../resource.ts';
import type { KObject } from '../types/index.ts';
import { apiVersionOf } from './meta.ts';

/**
 * Objects are stored as JSON in the storage version (`def.toStorage`), without
 * `metadata.resourceVersion`: the store's modRevision is the resourceVersion, set on every read.
 */
export function encode(def: ResourceDef, obj: KObject): string {
  const stored = def.toStorage ? def.toStorage(obj) : obj;
  const { resourceVersion: _rv, ...metadata } = stored.metadata ?? {};
  return JSON.stringify({ ...stored, metadata: withoutEmpty(metadata) });
}

const OMIT_EMPTY = ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields'] as const;

/** ObjectMeta's collections are `omitempty` upstream: `finalizers: []` is stored (and served) as absent. */
export function withoutEmpty<M extends Partial<Record<(typeof OMIT_EMPTY)[number], unknown>>>(meta: M): M {
  let out = meta;
  for (const k of OMIT_EMPTY) {
    const v = meta[k];
    if (v === undefined) continue;
    const empty = v === null || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0);
    if (!empty) continue;
    if (out === meta) out = { ...meta };
    delete out[k];
  }
  return out;
}

/**
 * A stored value as `def` serves it: converted with `fromStorage`, `apiVersion`/`kind` set, and
 * `metadata.resourceVersion` = `revision` (absent when undefined, as for a dry-run create).
 */
export function decode(def: ResourceDef, value: string, revision: number | undefined): KObject {
  let obj = JSON.parse(value) as KObject;
  if (def.fromStorage) obj = def.fromStorage(obj);
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  const { resourceVersion: _rv, ...meta } = metadata ?? {};
  return {
    apiVersion: apiVersionOf(def),
    kind: def.kind,
    metadata: revision === undefined ? meta : { ...meta, resourceVersion: String(revision) },
    ...rest,
  };
}
