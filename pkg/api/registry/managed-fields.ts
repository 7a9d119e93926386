import { managerFromRequest, setManagedFields, typeInfoFor, updateManagedFields, updateScaleManagedFields, type WriteOptionsKind } from '../fieldmanager/index.ts';
import type { WriteOptions } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import type { KObject } from '../types/index.ts';
import { apiVersionOf, hasStatus } from './meta.ts';

/** Who a write is recorded under; a bad fieldManager is 422 before anything else runs. */
export const writeManager = (options: WriteOptions, kind: WriteOptionsKind): string => managerFromRequest(options.fieldManager, options.userAgent, kind);

/** Sets obj.metadata.managedFields for a planned create (`cur` undefined), update, patch or status write. */
export function recordManagedFields(def: ResourceDef, cur: KObject | undefined, obj: KObject, manager: string, now: Date, subresource?: 'status' | 'ephemeralcontainers'): void {
  setManagedFields(obj, updateManagedFields({ old: cur, new: obj, manager, apiVersion: apiVersionOf(def), subresource, hasStatusSubresource: hasStatus(def), now, type: typeInfoFor(def) }));
}

/** Scale writes: the replicas field moves to the writer's `subresource: scale` entry. */
export function recordScaleManagedFields(def: ResourceDef, cur: KObject, obj: KObject, manager: string, specReplicasPath: string): void {
  setManagedFields(obj, updateScaleManagedFields({ old: cur, new: obj, manager, apiVersion: apiVersionOf(def), specReplicasPath }));
}
