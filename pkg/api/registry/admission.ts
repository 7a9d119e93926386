import type { ResourceDef } from '../resource.ts';
import { forbidden } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { RegistryContext } from './context.ts';
import { decode } from './codec.ts';
import { readCurrent } from './get.ts';
import { guaranteedUpdate } from './guaranteed-update.ts';
import { storagePrefix } from './keys.ts';
import { groupResourceOf } from './meta.ts';

/** One write as the admission plugins see it. */
export interface AdmissionRequest {
  operation: 'create' | 'update';
  def: ResourceDef;
  namespace: string | undefined;
  /** The object to be stored; mutating plugins change it in place, validating ones only read it. */
  obj: KObject;
  /** The stored object an update replaces. */
  old?: KObject;
  dryRun: boolean;
}

/** What plugins may do besides looking at the request: read objects, and update one (quota usage). */
export interface AdmissionServices {
  now(): Date;
  /** The objects of a kind (by group and plural) in a namespace (all: undefined); [] for a kind not served. */
  list(group: string, plural: string, namespace: string | undefined): Promise<KObject[]>;
  /**
   * Read-modify-write of one stored object, replanned on conflicts: `change` returns the next
   * state (undefined: leave it) and may throw a StatusError to refuse.
   */
  update(group: string, plural: string, namespace: string, name: string, change: (cur: KObject) => KObject | undefined): Promise<void>;
}

/**
 * An admission plugin (apiserver's admission.Interface): `mutate` runs after defaulting and
 * before validation, `validate` after validation, just before the write; both only for the
 * requests `handles` accepts, in the order of the chain. A plugin refuses a write by throwing a
 * StatusError (most often `forbidden(admissionForbidden(...))`); a thrown error stops the chain
 * and nothing is written.
 */
export interface AdmissionPlugin {
  name: string;
  handles(req: AdmissionRequest): boolean;
  mutate?(req: AdmissionRequest, svc: AdmissionServices): Promise<void>;
  validate?(req: AdmissionRequest, svc: AdmissionServices): Promise<void>;
}

/** admission.NewForbidden: `<resource> "<name>" is forbidden: <reason>`. */
export function admissionForbidden(req: AdmissionRequest, reason: string) {
  const gr = groupResourceOf(req.def);
  const name = req.obj.metadata.name ?? '';
  return forbidden(`${gr.group ? `${gr.resource}.${gr.group}` : gr.resource} "${name}" is forbidden: ${reason}`, { name, group: gr.group, kind: gr.resource });
}

function services(ctx: RegistryContext): AdmissionServices {
  const find = (group: string, plural: string) => ctx.resources.find((d) => d.group === group && d.plural === plural && d.storage.group === group);
  return {
    now: () => ctx.now(),
    async list(group, plural, namespace) {
      const def = find(group, plural);
      if (!def) return [];
      const { items } = await ctx.store.list(namespace === undefined ? storagePrefix(def) : `${storagePrefix(def)}${namespace}/`);
      return items.map((kv) => decode(def, kv.value, kv.modRevision));
    },
    async update(group, plural, namespace, name, change) {
      const def = find(group, plural);
      if (!def) return;
      const { key, kv } = await readCurrent(ctx, def, namespace, name);
      await guaranteedUpdate(ctx, def, key, name, kv, (cur) => ({ obj: change(cur) ?? cur }), false);
    },
  };
}

/** Runs the chain's mutating (`phase` 'mutate') or validating plugins over one request. */
export async function runAdmission(ctx: RegistryContext, phase: 'mutate' | 'validate', req: AdmissionRequest): Promise<void> {
  const svc = services(ctx);
  for (const plugin of ctx.admission) {
    const fn = plugin[phase];
    if (fn && plugin.handles(req)) await fn.call(plugin, req, svc);
  }
}

/** The validating admission of a main-resource update, for guaranteedUpdate (subresource writes are not admitted, as the plugins here skip them upstream). */
export function admitUpdate(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, target: 'main' | 'status' | 'ephemeralcontainers', dryRun: boolean) {
  if (target !== 'main') return undefined;
  return (obj: KObject, old: KObject) => runAdmission(ctx, 'validate', { operation: 'update', def, namespace, obj, old, dryRun });
}
