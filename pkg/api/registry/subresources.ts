import type { ApiRequest, WriteResult } from '../request.ts';
import type { ResourceDef, Subresource } from '../resource.ts';
import { conflict, invalid, pathNotFound } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { RegistryContext } from './context.ts';
import { shouldDeleteDuringUpdate } from './delete-plan.ts';
import { decodeBody } from './decode-body.ts';
import { evictPod } from './eviction.ts';
import { getObject, readCurrent } from './get.ts';
import { guaranteedUpdate } from './guaranteed-update.ts';
import { qualifiedNameErrors, quote } from './label-syntax.ts';
import { findSubresource, groupResourceOf, isCore } from './meta.ts';
import { patchObject } from './patch.ts';
import { bindPod } from './pod-binding.ts';
import { getScale, patchScale, updateScale } from './scale.ts';
import { checkBodyName } from './strategy.ts';
import type { GVK } from './schema-hooks.ts';
import { updateObject } from './update.ts';

/** 404 unless the ResourceDef declares the subresource (the real server has no route for it). */
function served(def: ResourceDef, name: string): void {
  if (!findSubresource(def, name as Subresource['name'])) throw pathNotFound();
}

/** GET status and ephemeralcontainers (the whole object, as upstream) and scale. */
export async function getSubresource(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'get' }>, sub: string): Promise<KObject> {
  served(req.def, sub);
  if (sub === 'status' || sub === 'ephemeralcontainers') return getObject(ctx, req.def, req.namespace, req.name, req.resourceVersion);
  if (sub === 'scale') return getScale(ctx, req.def, req.namespace, req.name);
  throw pathNotFound();
}

/** PUT status, pods/ephemeralcontainers, scale, and namespaces/finalize. */
export async function updateSubresource(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'update' }>, sub: string): Promise<WriteResult> {
  served(req.def, sub);
  if (sub === 'status' || sub === 'ephemeralcontainers') return updateObject(ctx, req, sub);
  if (sub === 'scale') return updateScale(ctx, req);
  if (sub === 'finalize' && isCore(req.def, 'namespaces')) return finalizeNamespace(ctx, req);
  throw pathNotFound();
}

export async function patchSubresource(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'patch' }>, sub: string): Promise<WriteResult> {
  served(req.def, sub);
  if (sub === 'status' || sub === 'ephemeralcontainers') return patchObject(ctx, req, sub);
  if (sub === 'scale') return patchScale(ctx, ctx.schema, req);
  throw pathNotFound();
}

const BINDING = { group: '', version: 'v1', kind: 'Binding' };
const EVICTION = { group: 'policy', version: 'v1', kind: 'Eviction' };

/** POST pods/binding and pods/eviction; `req.name` is the pod. */
export async function createSubresource(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'create' }>, sub: string): Promise<WriteResult> {
  served(req.def, sub);
  if (!req.name) throw pathNotFound();
  const decode = (gvk: GVK) => decodeBody(ctx.schema, gvk, req.body, req.options);
  const withWarnings = (r: WriteResult, warnings: string[]): WriteResult => (warnings.length ? { ...r, warnings: [...(r.warnings ?? []), ...warnings] } : r);
  if (sub === 'binding' && isCore(req.def, 'pods')) {
    const { body, warnings } = decode(BINDING);
    return withWarnings(await bindPod(ctx, req.def, req.namespace, req.name, body, !!req.options.dryRun), warnings);
  }
  if (sub === 'eviction' && isCore(req.def, 'pods')) {
    const { body, warnings } = decode(EVICTION);
    return withWarnings(await evictPod(ctx, req.def, req.namespace, req.name, body, !!req.options.dryRun), warnings);
  }
  throw pathNotFound();
}

/**
 * PUT namespaces/{name}/finalize: replaces spec.finalizers only (the namespace controller's
 * hand-off). The body is decoded as a Namespace (wrong JSON types 400, unknown fields per
 * fieldValidation). A Terminating namespace left with no finalizers is removed by this write.
 */
async function finalizeNamespace(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'update' }>): Promise<WriteResult> {
  const { def, name } = req;
  const { body, warnings } = decodeBody(ctx.schema, def, req.body, req.options);
  checkBodyName(body, name);
  const finalizers = [...new Set((body.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [])];
  const errs = finalizers.flatMap((f, i) => qualifiedNameErrors(f).map((msg) => ({ type: 'FieldValueInvalid' as const, field: `spec.finalizers[${i}]`, message: `Invalid value: ${quote(f)}: ${msg}` })));
  if (errs.length) throw invalid(def.group, def.kind, name, errs);
  const { key, kv } = await readCurrent(ctx, def, undefined, name);
  const object = await guaranteedUpdate(
    ctx,
    def,
    key,
    name,
    kv,
    (cur) => {
      const wanted = body.metadata.resourceVersion;
      if (wanted && wanted !== cur.metadata.resourceVersion) throw conflict(groupResourceOf(def), name);
      const next = structuredClone(cur);
      const spec = { ...(next.spec as Record<string, unknown> | undefined) };
      if (finalizers.length) spec.finalizers = finalizers;
      else delete spec.finalizers;
      next.spec = spec;
      return { obj: next, deleteNow: shouldDeleteDuringUpdate(def, next, cur) };
    },
    !!req.options.dryRun,
  );
  return { object, warnings };
}
