import type { ApiRequest, WriteResult } from '../request.ts';
import { setManagedFields } from '../fieldmanager/index.ts';
import { recordManagedFields, recordScaleManagedFields, writeManager } from './managed-fields.ts';
import type { ResourceDef } from '../resource.ts';
import { conflict } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { admitUpdate } from './admission.ts';
import type { RegistryContext } from './context.ts';
import { shouldDeleteDuringUpdate } from './delete-plan.ts';
import { readCurrent } from './get.ts';
import { guaranteedUpdate, type WritePlan } from './guaranteed-update.ts';
import { deepEqual, groupResourceOf, hasStatus, serverMeta } from './meta.ts';
import { bodyCopy, checkBodyName, checkBodyNamespace, checkTypeMeta, validateEphemeralContainersUpdate, validateStatusUpdate, validateUpdate } from './strategy.ts';
import { checkQuantities } from './quantities.ts';
import { checkUnknownFields } from './unknown-fields.ts';
import { allocateValues } from './write-allocator.ts';

/** Which part of the object a write may change: the main resource, only `.status`, or only `spec.ephemeralContainers`. */
export type UpdateTarget = 'main' | 'status' | 'ephemeralcontainers';

/**
 * The update rules shared by PUT, PATCH and the status subresource, applied to `next` (a private
 * copy the caller built from the current object `cur`):
 * - `metadata.resourceVersion`, when set, must be `cur`'s (409 Conflict); absent means unconditional.
 * - uid, creationTimestamp, deletionTimestamp/GracePeriod and generation are the server's.
 * - Main writes keep `cur.status` when the kind has a status subresource; status writes keep
 *   everything but `.status`; ephemeralcontainers writes keep everything but
 *   `spec.ephemeralContainers` (upstream's dropNonEphemeralContainerUpdates).
 * - Strategy: prepareForUpdate → defaults → validate + validateUpdate (main), or
 *   prepareForStatusUpdate → defaults → validateStatusUpdate (status); 422 on problems.
 * - generation +1 when anything outside metadata and status changed (kinds with `generation`).
 * - The object is removed when its last finalizer goes after deletion was requested.
 */
export function planUpdate(
  ctx: RegistryContext,
  def: ResourceDef,
  cur: KObject,
  next: KObject,
  target: UpdateTarget,
  manager: string,
  scale?: { specReplicasPath: string },
  /** `next` already carries the managedFields to store (server-side apply computed them). */
  keepManagedFields = false,
): WritePlan {
  const wanted = next.metadata.resourceVersion;
  if (wanted && wanted !== cur.metadata.resourceVersion) throw conflict(groupResourceOf(def), cur.metadata.name ?? '');
  const sctx = { now: ctx.now(), operation: 'update' as const };
  let obj: KObject;
  // A body may omit apiVersion/kind; without them a no-op write would not look like one.
  next.apiVersion = cur.apiVersion;
  next.kind = cur.kind;
  if (target === 'status') {
    obj = { ...structuredClone(cur), status: structuredClone(next.status) };
    if (next.status === undefined) delete obj.status;
    def.strategy?.prepareForStatusUpdate?.(obj, next);
    def.strategy?.defaults?.(obj);
    validateStatusUpdate(def, obj, cur);
  } else if (target === 'ephemeralcontainers') {
    obj = structuredClone(cur);
    const spec = { ...(obj.spec as Record<string, unknown> | undefined) };
    const given = (next.spec as Record<string, unknown> | undefined)?.ephemeralContainers;
    if (given === undefined || given === null) delete spec.ephemeralContainers;
    else spec.ephemeralContainers = structuredClone(given);
    obj.spec = spec;
    def.strategy?.defaults?.(obj);
    validateEphemeralContainersUpdate(def, obj, cur);
  } else {
    obj = next;
    keepServerMeta(obj, cur);
    if (hasStatus(def)) {
      if (cur.status === undefined) delete obj.status;
      else obj.status = structuredClone(cur.status);
    }
    def.strategy?.prepareForUpdate?.(obj, cur, sctx);
    def.strategy?.defaults?.(obj);
    validateUpdate(def, obj, cur);
    allocateValues(ctx, def, obj, cur);
    if (def.generation && specChanged(obj, cur)) serverMeta(obj).generation = (cur.metadata.generation ?? 0) + 1;
  }
  // After the generation bump, so the comparison sees the final object.
  if (keepManagedFields) {
    if (target !== 'main') setManagedFields(obj, next.metadata.managedFields ?? []);
  } else if (scale) recordScaleManagedFields(def, cur, obj, manager, scale.specReplicasPath);
  else recordManagedFields(def, cur, obj, manager, sctx.now, target === 'main' ? undefined : target);
  return { obj, deleteNow: shouldDeleteDuringUpdate(def, obj, cur) };
}

function keepServerMeta(obj: KObject, cur: KObject): void {
  const m = serverMeta(obj);
  const c = cur.metadata;
  if (!m.uid) m.uid = c.uid;
  setOrDelete(m, 'creationTimestamp', c.creationTimestamp);
  setOrDelete(m, 'deletionTimestamp', c.deletionTimestamp);
  setOrDelete(m, 'deletionGracePeriodSeconds', c.deletionGracePeriodSeconds);
  setOrDelete(m, 'generation', c.generation);
  delete m.selfLink;
}

function setOrDelete<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function specChanged(obj: KObject, cur: KObject): boolean {
  const { metadata: _m1, status: _s1, apiVersion: _a1, kind: _k1, ...a } = obj;
  const { metadata: _m2, status: _s2, apiVersion: _a2, kind: _k2, ...b } = cur;
  return !deepEqual(a, b);
}

/** PUT of the main resource or of `status`. */
export async function updateObject(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'update' }>, target: UpdateTarget): Promise<WriteResult> {
  const { def, name } = req;
  const manager = writeManager(req.options, 'UpdateOptions');
  const body = bodyCopy(req.body);
  checkTypeMeta(def, body);
  checkBodyName(body, name);
  checkBodyNamespace(def, body, req.namespace);
  const warnings = checkUnknownFields(ctx.schema, def, body, req.options, true);
  checkQuantities(ctx.schema, def, body);
  const { key, kv } = await readCurrent(ctx, def, req.namespace, name);
  const object = await guaranteedUpdate(ctx, def, key, name, kv, (cur) => planUpdate(ctx, def, cur, structuredClone(body), target, manager), !!req.options.dryRun,
    admitUpdate(ctx, def, req.namespace, target, !!req.options.dryRun));
  return warnings.length ? { object, warnings } : { object };
}
