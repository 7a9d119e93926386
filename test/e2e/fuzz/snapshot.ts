import type { ResourceDef } from '../../../pkg/api/resource.ts';
import type { ApiClient } from './client.ts';

export type Snapshot = Map<string, Record<string, any>>;

/** The storage key of an object, shared by the served versions of one kind (HPA v1 and v2). */
export const storageKey = (def: ResourceDef, namespace: string | undefined, name: string) =>
  `${def.storage.group || 'core'}/${def.storage.resource}/${def.namespaced ? namespace ?? '' : ''}/${name}`;
export const collectionKey = (def: ResourceDef, namespace: string | undefined) => `${def.storage.group || 'core'}/${def.storage.resource}/${def.namespaced ? namespace ?? '' : ''}/`;

// Written by controllers all the time, owned by nothing: not evidence of anything a request did.
const noisy = new Set(['core/events', 'core/endpoints', 'discovery.k8s.io/endpointslices']);

export const listPath = (def: ResourceDef) => `${def.group ? `/apis/${def.group}` : '/api'}/${def.version}/${def.plural}`;

/** Every stored object but the noisy kinds, by storage key (one served version per storage). */
export async function snapshot(client: ApiClient, defs: ResourceDef[]): Promise<Snapshot> {
  const out: Snapshot = new Map();
  const seen = new Set<string>();
  for (const def of defs) {
    if (def.verbs && !def.verbs.includes('list')) continue;
    const storage = `${def.storage.group || 'core'}/${def.storage.resource}`;
    if (seen.has(storage) || noisy.has(storage)) continue;
    seen.add(storage);
    const list = await client.json('GET', listPath(def));
    for (const item of list.items) out.set(storageKey(def, item.metadata.namespace, item.metadata.name), item);
  }
  return out;
}

/** What a rejected request must not have changed: everything but status and its bookkeeping. */
export function comparable(obj: Record<string, any>): string {
  const { status: _status, metadata, ...rest } = obj;
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = metadata;
  return JSON.stringify({ ...rest, metadata: meta });
}
