import type { ApiRequest, WriteResult } from '../request.ts';
import { invalid, isAlreadyExists, isNotFound } from '../status.ts';
import type { RegistryContext } from './context.ts';
import { createObject } from './create.ts';
import { readCurrent } from './get.ts';
import { guaranteedUpdate } from './guaranteed-update.ts';
import { bodyCopy, checkBodyName, checkBodyNamespace, checkTypeMeta } from './strategy.ts';
import { checkUnknownFields } from './unknown-fields.ts';
import { planUpdate, type UpdateTarget } from './update.ts';

/**
 * Server-side apply (`application/apply-patch+yaml`), minimal version (kubectl-api.md §11:
 * "create-or-merge"): a missing object is created from the applied configuration (201);
 * otherwise the configuration is merged into the live object — strategic merge where the kind
 * has a schema (associative lists by merge key, as SSA), JSON merge otherwise — and written
 * through the update rules. Not yet: managedFields, field ownership, conflicts (409
 * FieldManagerConflict) and removal of fields a manager stopped applying; `force` is accepted.
 */
export async function applyObject(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'patch' }>, target: UpdateTarget): Promise<WriteResult> {
  const { def, name } = req;
  if (!req.options.fieldManager) {
    throw invalid('meta.k8s.io', 'PatchOptions', '', [{ type: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }]);
  }
  const applied = bodyCopy(req.patch);
  checkTypeMeta(def, applied);
  checkBodyName(applied, name);
  checkBodyNamespace(def, applied, req.namespace);
  const warnings = checkUnknownFields(ctx.schema, def, applied, req.options.fieldValidation);
  const done = (r: WriteResult): WriteResult => (warnings.length ? { ...r, warnings } : r);
  for (;;) {
    let current;
    try {
      current = await readCurrent(ctx, def, req.namespace, name);
    } catch (err) {
      if (!isNotFound(err) || target !== 'main') throw err;
      try {
        return done(await createObject(ctx, { verb: 'create', def, namespace: req.namespace, body: applied, options: req.options }));
      } catch (createErr) {
        // Someone created it meanwhile: apply to theirs.
        if (isAlreadyExists(createErr)) continue;
        throw createErr;
      }
    }
    const meta = ctx.schema.patchMetaFor(def);
    const object = await guaranteedUpdate(
      ctx,
      def,
      current.key,
      name,
      current.kv,
      (cur) => {
        const merged = bodyCopy(meta ? ctx.schema.applyPatch('strategic', cur, applied, meta) : ctx.schema.applyPatch('merge', cur, applied));
        return planUpdate(ctx, def, cur, merged, target, req.options.fieldManager!);
      },
      !!req.options.dryRun,
    );
    return done({ object });
  }
}
