import type { ApiRequest, WriteResult } from '../request.ts';
import { invalid } from '../status.ts';
import { applyObject } from './apply.ts';
import { admitUpdate } from './admission.ts';
import type { RegistryContext } from './context.ts';
import { readCurrent } from './get.ts';
import { guaranteedUpdate } from './guaranteed-update.ts';
import { bodyCopy, checkBodyName, checkBodyNamespace, checkTypeMeta } from './strategy.ts';
import { checkQuantities } from './quantities.ts';
import { checkUnknownFields } from './unknown-fields.ts';
import { planUpdate, type UpdateTarget } from './update.ts';
import { writeManager } from './managed-fields.ts';

/**
 * PATCH (kubectl-api.md §10): each attempt applies the patch to the current object and plans the
 * result through the update rules, so concurrent patches all land (GuaranteedUpdate) and a patch
 * that carries metadata.resourceVersion is a precondition (409 on mismatch). A missing object is
 * 404. Server-side apply (`apply`) is apply.ts.
 */
export async function patchObject(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'patch' }>, target: UpdateTarget): Promise<WriteResult> {
  const { def, name, patchType } = req;
  if (patchType === 'apply') return applyObject(ctx, req, target);
  if (req.options.force !== undefined) {
    throw invalid('meta.k8s.io', 'PatchOptions', '', [{ type: 'FieldValueForbidden', field: 'force', message: 'Forbidden: may not be specified for non-apply patch' }]);
  }
  const manager = writeManager(req.options, 'PatchOptions');
  const hooks = ctx.schema;
  const meta = patchType === 'strategic' ? hooks.patchMetaFor(def) : undefined;
  const { key, kv } = await readCurrent(ctx, def, req.namespace, name);
  let warnings: string[] = [];
  const object = await guaranteedUpdate(
    ctx,
    def,
    key,
    name,
    kv,
    (cur) => {
      const next = bodyCopy(hooks.applyPatch(patchType, structuredClone(cur), req.patch, meta));
      checkTypeMeta(def, next);
      checkBodyName(next, name);
      checkBodyNamespace(def, next, req.namespace);
      warnings = checkUnknownFields(hooks, def, next, patchType === 'json' ? { fieldValidation: req.options.fieldValidation } : req.options);
      checkQuantities(hooks, def, next);
      return planUpdate(ctx, def, cur, next, target, manager);
    },
    !!req.options.dryRun,
    admitUpdate(ctx, def, req.namespace, target, !!req.options.dryRun),
  );
  return warnings.length ? { object, warnings } : { object };
}
