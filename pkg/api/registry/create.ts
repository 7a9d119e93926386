import { KeyExistsError } from '../../store/index.ts';
import type { ApiRequest, WriteResult } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { alreadyExists, badRequest, invalid } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { decode, encode } from './codec.ts';
import { runAdmission, type AdmissionRequest } from './admission.ts';
import type { RegistryContext } from './context.ts';
import { objectKey } from './keys.ts';
import { recordManagedFields, writeManager } from './managed-fields.ts';
import { apiVersionOf, generateName, groupResourceOf, newUid, rfc3339, serverMeta, type ServerMeta } from './meta.ts';
import { ensureNamespaceActive } from './namespaces.ts';
import { checkName } from './scope.ts';
import { fromStoreError } from './store-errors.ts';
import { bodyCopy, checkTypeMeta, validateCreate } from './strategy.ts';
import { checkQuantities } from './quantities.ts';
import { checkUnknownFields } from './unknown-fields.ts';
import { allocateValues } from './write-allocator.ts';

// apiserver retries a generateName collision this many times before answering 409.
const GENERATE_NAME_ATTEMPTS = 8;

/**
 * POST of a new object (kubectl-api.md §7), in apiserver's order: strict decoding → namespace
 * match → namespace lifecycle (404 missing, 403 terminating) → system fields dropped → defaults
 * → mutating admission → prepareForCreate → uid/creationTimestamp/generation/generateName →
 * validate (422) → validating admission → store (409 AlreadyExists). `dryRun` does everything
 * but the write (an existing name is still 409) and returns an object without resourceVersion.
 */
export async function createObject(
  ctx: RegistryContext,
  req: Extract<ApiRequest, { verb: 'create' }>,
  /** The body already carries its managedFields (server-side apply computed them). */
  keepManagedFields = false,
): Promise<WriteResult> {
  const { def } = req;
  const manager = writeManager(req.options, 'CreateOptions');
  const obj = bodyCopy(req.body);
  checkTypeMeta(def, obj);
  const warnings = checkUnknownFields(ctx.schema, def, obj, req.options, true);
  checkQuantities(ctx.schema, def, obj);
  const namespace = namespaceForCreate(def, req.namespace, obj);
  if (namespace !== undefined) await ensureNamespaceActive(ctx, def, namespace, obj.metadata.name ?? '');

  clearSystemFields(serverMeta(obj));
  const now = ctx.now();
  // As apiserver: decoding defaults, then mutating admission, then the strategy (which, e.g.,
  // derives a pod's qosClass from the resources admission may have filled in). Defaults run again
  // because skiff's strategies may leave fields for them.
  def.strategy?.defaults?.(obj);
  const admission: AdmissionRequest = { operation: 'create', def, namespace, obj, dryRun: !!req.options.dryRun };
  await runAdmission(ctx, 'mutate', admission);
  def.strategy?.prepareForCreate?.(obj, { now, operation: 'create' });
  def.strategy?.defaults?.(obj);
  obj.apiVersion = apiVersionOf(def);
  obj.kind = def.kind;
  const m = serverMeta(obj);
  m.uid = newUid();
  m.creationTimestamp = rfc3339(now);
  if (def.generation) m.generation = 1;
  if (!keepManagedFields) recordManagedFields(def, undefined, obj, manager, now);

  const done = (object: KObject): WriteResult => (warnings.length ? { object, created: true, warnings } : { object, created: true });
  const generated = !obj.metadata.name && !!obj.metadata.generateName;
  for (let attempt = 1; ; attempt++) {
    if (generated) obj.metadata.name = generateName(obj.metadata.generateName!);
    validateCreate(def, obj);
    // Once: a retry for a generated name is the same write (quota is charged once).
    if (attempt === 1) await runAdmission(ctx, 'validate', admission);
    allocateValues(ctx, def, obj, undefined);
    const name = obj.metadata.name!;
    const value = encode(def, obj);
    if (req.options.dryRun) {
      // As upstream's dry-run storage: an existing name is still a 409.
      if (await ctx.store.get(objectKey(def, namespace, name))) {
        if (generated && attempt < GENERATE_NAME_ATTEMPTS) continue;
        throw alreadyExists(groupResourceOf(def), name);
      }
      return done(decode(def, value, undefined));
    }
    try {
      const kv = await ctx.store.create(objectKey(def, namespace, name), value);
      return done(decode(def, kv.value, kv.modRevision));
    } catch (err) {
      if (generated && err instanceof KeyExistsError && attempt < GENERATE_NAME_ATTEMPTS) continue;
      throw fromStoreError(err, def, name);
    }
  }
}

function namespaceForCreate(def: ResourceDef, requested: string | undefined, obj: KObject): string | undefined {
  if (!def.namespaced) {
    delete obj.metadata.namespace;
    return undefined;
  }
  const inBody = obj.metadata.namespace;
  if (requested && inBody && inBody !== requested) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const namespace = requested || inBody;
  if (!namespace) throw invalid(def.group, def.kind, obj.metadata.name ?? '', [{ type: 'FieldValueRequired', field: 'metadata.namespace', message: 'Required value' }]);
  checkName(namespace);
  obj.metadata.namespace = namespace;
  return namespace;
}

/** What only the server sets; a client's values (e.g. from exported YAML) are dropped. */
function clearSystemFields(m: ServerMeta): void {
  delete m.uid;
  delete m.resourceVersion;
  delete m.creationTimestamp;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.generation;
  delete m.selfLink;
}
