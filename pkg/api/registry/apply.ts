import { appliedConfigErrors, applyManagedFields, formatTypedErrors, typeInfoFor, type TypeInfo } from '../fieldmanager/index.ts';
import type { ApiRequest, WriteResult } from '../request.ts';
import { badRequest, invalid, isAlreadyExists, isNotFound } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { admitUpdate } from './admission.ts';
import type { RegistryContext } from './context.ts';
import { createObject } from './create.ts';
import { readCurrent } from './get.ts';
import { guaranteedUpdate } from './guaranteed-update.ts';
import { writeManager } from './managed-fields.ts';
import { apiVersionOf, hasStatus } from './meta.ts';
import { bodyCopy, checkBodyName, checkBodyNamespace, checkTypeMeta } from './strategy.ts';
import { checkQuantities } from './quantities.ts';
import { checkUnknownFields } from './unknown-fields.ts';
import { planUpdate, type UpdateTarget } from './update.ts';

/**
 * Server-side apply (`application/apply-patch+yaml`, kubectl-api.md §11; field ownership in
 * pkg/api/fieldmanager/apply.ts). A missing object is created from the configuration (201);
 * otherwise the configuration is merged into the live object and the result goes through the
 * update rules (defaults, validation, generation), with the managedFields apply computed.
 *
 * As upstream: fieldManager is required; the configuration must name the endpoint's
 * apiVersion and kind and may not carry managedFields; fields the schema does not declare are
 * refused whatever fieldValidation says (upstream answers 500 there, skiff 400 — bad input is
 * the client's); fieldValidation judges only repeated keys.
 */
export async function applyObject(ctx: RegistryContext, req: Extract<ApiRequest, { verb: 'patch' }>, target: UpdateTarget): Promise<WriteResult> {
  const { def, name } = req;
  const manager = applyManager(req.options);
  const applied = bodyCopy(req.patch);
  checkAppliedTypeMeta(def, applied);
  checkBodyName(applied, name);
  checkBodyNamespace(def, applied, req.namespace);
  if (applied.metadata.managedFields !== undefined && applied.metadata.managedFields !== null) throw badRequest('metadata.managedFields must be nil');
  delete applied.metadata.managedFields;
  const type = typeInfoFor(def);
  checkAppliedTyping(def, applied, type);
  // Kinds pkg/api/schema does not describe may still have a schema behind the hooks: judged there.
  const unknown = type.kind === 'deduced' ? checkUnknownFields(ctx.schema, def, applied, { fieldValidation: req.options.fieldValidation }) : [];
  checkQuantities(ctx.schema, def, applied);
  const warnings = [...unknown, ...duplicateWarnings(req.options)];
  const done = (r: WriteResult): WriteResult => (warnings.length ? { ...r, warnings } : r);
  const input = { applied, manager, apiVersion: apiVersionOf(def), force: req.options.force === true, hasStatusSubresource: hasStatus(def), type };
  for (;;) {
    let current;
    try {
      current = await readCurrent(ctx, def, req.namespace, name);
    } catch (err) {
      if (!isNotFound(err) || target !== 'main') throw err;
      const body = applyManagedFields({ ...input, now: ctx.now() });
      try {
        const options = { ...req.options, fieldValidation: 'Ignore' as const, duplicateFields: undefined };
        return done(await createObject(ctx, { verb: 'create', def, namespace: req.namespace, body, options }, true));
      } catch (createErr) {
        // Someone created it meanwhile: apply to theirs.
        if (isAlreadyExists(createErr)) continue;
        throw createErr;
      }
    }
    const subresource = target === 'main' ? undefined : target;
    const object = await guaranteedUpdate(
      ctx,
      def,
      current.key,
      name,
      current.kv,
      (cur) => planUpdate(ctx, def, cur, applyManagedFields({ ...input, live: cur, subresource, now: ctx.now() }), target, manager, undefined, true),
      !!req.options.dryRun,
      admitUpdate(ctx, def, req.namespace, target, !!req.options.dryRun),
    );
    return done({ object });
  }
}

/** The applier: fieldManager is required for apply, and validated as for any write. */
export function applyManager(options: Extract<ApiRequest, { verb: 'patch' }>['options']): string {
  if (!options.fieldManager) {
    throw invalid('meta.k8s.io', 'PatchOptions', '', [{ type: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }]);
  }
  return writeManager(options, 'PatchOptions');
}

/** The configuration must be typeable: SMD's errors, worded and prefixed as upstream. */
export function checkAppliedTyping(gvk: { group: string; version: string; kind: string }, applied: KObject, type: TypeInfo): void {
  const errs = appliedConfigErrors(applied, type);
  if (!errs.length) return;
  throw badRequest(`failed to create typed patch object (${applied.metadata.namespace ?? ''}/${applied.metadata.name ?? ''}; ${gvk.group}/${gvk.version}, Kind=${gvk.kind}): ${formatTypedErrors(errs)}`);
}

/** structuredMergeManager's version check, then the kind as for any body. */
export function checkAppliedTypeMeta(def: { group: string; version: string; kind: string }, applied: KObject): void {
  const expected = apiVersionOf(def);
  if (applied.apiVersion !== expected) {
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${typeof applied.apiVersion === 'string' ? applied.apiVersion : ''}, expected: ${expected}`);
  }
  if (!applied.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(applied)}'`);
  checkTypeMeta(def, applied);
}

/** Apply patches are YAML upstream: repeated keys are go-yaml's errors under fieldValidation. */
export function duplicateWarnings(options: Extract<ApiRequest, { verb: 'patch' }>['options']): string[] {
  const dups = options.duplicateFields ?? [];
  if (!dups.length || options.fieldValidation === 'Ignore') return [];
  if (options.fieldValidation === 'Strict') {
    throw badRequest(`error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  ${dups.join('\n  ')}`);
  }
  return dups;
}
