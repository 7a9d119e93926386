import type { ApiRequest, WriteResult } from '../request.ts';
import type { ResourceDef, Subresource } from '../resource.ts';
import { badRequest, invalid, pathNotFound } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { RegistryContext } from './context.ts';
import { getObject, readCurrent } from './get.ts';
import { guaranteedUpdate, type WritePlan } from './guaranteed-update.ts';
import { apiVersionOf, findSubresource, isObject, serverMeta } from './meta.ts';
import type { SchemaHooks } from './schema-hooks.ts';
import { formatRequirements, selectorObjectRequirements, type LabelSelectorObject } from './selectors.ts';
import { bodyCopy, checkBodyName, checkTypeMeta } from './strategy.ts';
import { checkUnknownFields } from './unknown-fields.ts';
import { planUpdate } from './update.ts';
import { writeManager } from './managed-fields.ts';
import { applyManager, checkAppliedTypeMeta, checkAppliedTyping, duplicateWarnings } from './apply.ts';
import { applyScaleManagedFields, setManagedFields, typeInfoFor } from '../fieldmanager/index.ts';

type ScaleDef = Extract<Subresource, { name: 'scale' }>;
const SCALE = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

/**
 * The `scale` subresource: an autoscaling/v1 Scale view of the paths the ResourceDef names
 * (kubectl-api.md §13.2). Writes change only the replicas path and go through the main resource's
 * update rules (strategy, validation, generation bump).
 */
export function scaleOf(sub: ScaleDef, obj: KObject): KObject {
  const m = obj.metadata;
  const status: Record<string, unknown> = { replicas: numberAt(obj, sub.statusReplicasPath) ?? 0 };
  const selector = sub.labelSelectorPath === undefined ? undefined : valueAt(obj, sub.labelSelectorPath);
  const text = typeof selector === 'string' ? selector : isObject(selector) ? formatRequirements(selectorObjectRequirements(selector as LabelSelectorObject)) : '';
  if (text) status.selector = text;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: numberAt(obj, sub.specReplicasPath) ?? 0 },
    status,
  };
}

export function scaleSubresource(def: ResourceDef): ScaleDef {
  const sub = findSubresource(def, 'scale');
  if (!sub) throw pathNotFound();
  return sub;
}

export async function getScale(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, name: string): Promise<KObject> {
  const sub = scaleSubresource(def);
  return scaleOf(sub, await getObject(ctx, def, namespace, name));
}

export async function updateScale(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'update' }>): Promise<WriteResult> {
  const { def, name } = req;
  const manager = writeManager(req.options, 'UpdateOptions');
  const sub = scaleSubresource(def);
  const body = bodyCopy(req.body);
  checkTypeMeta(SCALE, body);
  checkBodyName(body, name);
  const warnings = checkUnknownFields(ctx.schema, SCALE, body, req.options, true);
  const { key, kv } = await readCurrent(ctx, def, req.namespace, name);
  const obj = await guaranteedUpdate(ctx, def, key, name, kv, (cur) => planScale(ctx, def, sub, cur, body, manager), !!req.options.dryRun);
  return warnings.length ? { object: scaleOf(sub, obj), warnings } : { object: scaleOf(sub, obj) };
}

export async function patchScale(ctx: RegistryContext, hooks: SchemaHooks, req: Extract<ApiRequest, { verb: 'patch' }>): Promise<WriteResult> {
  const { def, name } = req;
  const sub = scaleSubresource(def);
  if (req.patchType === 'apply') return applyScale(ctx, req, sub);
  const manager = writeManager(req.options, 'PatchOptions');
  const meta = req.patchType === 'strategic' ? hooks.patchMetaFor(SCALE) : undefined;
  const { key, kv } = await readCurrent(ctx, def, req.namespace, name);
  let warnings: string[] = [];
  const obj = await guaranteedUpdate(
    ctx,
    def,
    key,
    name,
    kv,
    (cur) => {
      const patched = hooks.applyPatch(req.patchType as 'json' | 'merge' | 'strategic', scaleOf(sub, cur), req.patch, meta);
      const scale = bodyCopy(patched);
      checkTypeMeta(SCALE, scale);
      checkBodyName(scale, name);
      warnings = checkUnknownFields(hooks, SCALE, scale, req.options);
      return planScale(ctx, def, sub, cur, scale, manager);
    },
    !!req.options.dryRun,
  );
  return warnings.length ? { object: scaleOf(sub, obj), warnings } : { object: scaleOf(sub, obj) };
}

/**
 * Server-side apply of a Scale (upstream's ScaleHandler around an apply): the parent's replicas,
 * owned through the manager's `{Apply, subresource: scale}` entry; conflicts as for any apply.
 * A Scale without spec.replicas keeps the count and gives the field up.
 */
async function applyScale(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'patch' }>, sub: ScaleDef): Promise<WriteResult> {
  const { def, name } = req;
  const manager = applyManager(req.options);
  const applied = bodyCopy(req.patch);
  checkAppliedTypeMeta(SCALE, applied);
  checkBodyName(applied, name);
  if (applied.metadata.managedFields !== undefined && applied.metadata.managedFields !== null) throw badRequest('metadata.managedFields must be nil');
  checkAppliedTyping(SCALE, applied, typeInfoFor(SCALE));
  const warnings = duplicateWarnings(req.options);
  const given = (applied.spec as { replicas?: unknown } | undefined)?.replicas;
  const ownsReplicas = given !== undefined && given !== null;
  const apply = { ownsReplicas, force: req.options.force === true };
  const { key, kv } = await readCurrent(ctx, def, req.namespace, name);
  const obj = await guaranteedUpdate(
    ctx,
    def,
    key,
    name,
    kv,
    (cur) => planScale(ctx, def, sub, cur, ownsReplicas ? applied : { ...applied, spec: { replicas: numberAt(cur, sub.specReplicasPath) ?? 0 } }, manager, apply),
    !!req.options.dryRun,
  );
  return warnings.length ? { object: scaleOf(sub, obj), warnings } : { object: scaleOf(sub, obj) };
}

/** ValidateScale, then the parent with the new replica count through the update rules. */
function planScale(ctx: RegistryContext, def: ResourceDef, sub: ScaleDef, cur: KObject, scale: KObject, manager: string, apply?: { ownsReplicas: boolean; force: boolean }): WritePlan {
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    const message = typeof replicas === 'number' && Number.isInteger(replicas) ? 'must be greater than or equal to 0' : 'must be an integer';
    throw invalid('autoscaling', 'Scale', cur.metadata.name ?? '', [{ type: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: ${message}` }]);
  }
  const next = structuredClone(cur);
  setAt(next, sub.specReplicasPath, replicas);
  // The Scale's resourceVersion is a precondition on the parent.
  if (scale.metadata.resourceVersion) serverMeta(next).resourceVersion = scale.metadata.resourceVersion;
  if (!apply) return planUpdate(ctx, def, cur, next, 'main', manager, sub);
  const managedFields = applyScaleManagedFields({ old: cur, new: next, manager, apiVersion: apiVersionOf(def), specReplicasPath: sub.specReplicasPath, ...apply, now: ctx.now() });
  setManagedFields(next, managedFields);
  return planUpdate(ctx, def, cur, next, 'main', manager, undefined, true);
}

const steps = (path: string): string[] => path.replace(/^\./, '').split('.');

function valueAt(obj: unknown, path: string): unknown {
  let at = obj;
  for (const s of steps(path)) at = isObject(at) ? at[s] : undefined;
  return at;
}

function numberAt(obj: unknown, path: string): number | undefined {
  const v = valueAt(obj, path);
  return typeof v === 'number' ? v : undefined;
}

function setAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = steps(path);
  let at = obj;
  for (const s of parts.slice(0, -1)) {
    if (!isObject(at[s])) at[s] = {};
    at = at[s] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]] = value;
}
