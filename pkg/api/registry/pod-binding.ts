import type { WriteResult } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { badRequest, conflict, invalid, type FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { RegistryContext } from './context.ts';
import { readCurrent } from './get.ts';
import { guaranteedUpdate } from './guaranteed-update.ts';
import { groupResourceOf, rfc3339 } from './meta.ts';
import { bodyCopy, checkBodyNamespace, checkTypeMeta } from './strategy.ts';

const BINDING = { group: '', version: 'v1', kind: 'Binding' };

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The success body subresource POSTs answer with (201). */
export const statusSuccess = (): KObject => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });

/**
 * POST pods/{name}/binding (the scheduler's write), as BindingREST: sets spec.nodeName on an
 * unbound pod, merges the binding's annotations and marks PodScheduled True. A pod already bound
 * or being deleted is 409 Conflict on `pods/binding`. The binding's uid/resourceVersion, when
 * set, are preconditions on the pod. Answers Status Success (201).
 */
export async function bindPod(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, name: string, raw: unknown, dryRun: boolean): Promise<WriteResult> {
  const binding = bodyCopy(raw);
  checkTypeMeta(BINDING, binding);
  if (binding.metadata.name && binding.metadata.name !== name) throw badRequest('name in URL does not match name in Binding object');
  checkBodyNamespace(def, binding, namespace);
  const target = (binding.target ?? {}) as { kind?: string; name?: string };
  const errs: FieldError[] = [];
  if (target.kind && target.kind !== 'Node') errs.push({ type: 'FieldValueNotSupported', field: 'target.kind', message: `Unsupported value: ${JSON.stringify(target.kind)}: supported values: "Node", "<empty>"` });
  if (!target.name) errs.push({ type: 'FieldValueRequired', field: 'target.name', message: 'Required value' });
  if (errs.length) throw invalid('', 'Binding', name, errs);

  const { key, kv } = await readCurrent(ctx, def, namespace, name);
  const refused = (why: string) => conflict({ group: '', resource: 'pods/binding' }, name, why);
  await guaranteedUpdate(
    ctx,
    def,
    key,
    name,
    kv,
    (cur) => {
      const { uid, resourceVersion } = binding.metadata;
      if (uid && uid !== cur.metadata.uid) throw conflict(groupResourceOf(def), name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${cur.metadata.uid}`);
      if (resourceVersion && resourceVersion !== cur.metadata.resourceVersion) throw conflict(groupResourceOf(def), name);
      const spec = (cur.spec ?? {}) as { nodeName?: string; schedulingGates?: unknown[] };
      if (cur.metadata.deletionTimestamp) throw refused(`pod ${name} is being deleted, cannot be assigned to a host`);
      if (spec.nodeName) throw refused(`pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
      if (spec.schedulingGates?.length) throw refused(`pod ${name} has non-empty .spec.schedulingGates`);
      const next = structuredClone(cur);
      next.spec = { ...(next.spec as object), nodeName: target.name };
      if (binding.metadata.annotations) next.metadata.annotations = { ...next.metadata.annotations, ...binding.metadata.annotations };
      setScheduled(next, rfc3339(ctx.now()));
      return { obj: next };
    },
    dryRun,
  );
  return { object: statusSuccess(), created: true };
}

function setScheduled(pod: KObject, now: string): void {
  const status = { ...(pod.status as { conditions?: PodCondition[] } | undefined) };
  const conditions = [...(status.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === 'PodScheduled');
  if (i < 0) conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
  else if (conditions[i].status !== 'True') conditions[i] = { ...conditions[i], status: 'True', lastTransitionTime: now, reason: undefined, message: undefined };
  status.conditions = conditions;
  pod.status = status;
}
