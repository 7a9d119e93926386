import type { Logger } from '../../util/index.ts';
import type { RegistryHandler } from '../registry/index.ts';
import type { ApiRequest, UserInfo } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { isConflict } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { apiserverUser } from './controller.ts';
import { cleanupFinalizer } from './definition.ts';

const ATTEMPTS = 5;

/**
 * The CRD storage's Delete (apiextensions' REST.Delete): the first DELETE of a CRD adds the
 * cleanup finalizer, so the generic delete only marks it (deletionTimestamp) and the CRD
 * controller deletes its custom resources before the CRD goes. A resourceVersion precondition
 * still names the object the client saw. Dry runs change nothing.
 */
export function withCrdCleanup(handler: RegistryHandler, crdDef: ResourceDef, log: Logger): RegistryHandler {
  return {
    ...handler,
    async delete(req, user) {
      if (req.def === crdDef && !req.options?.dryRun?.length) {
        const options = await addFinalizer(handler, req, log);
        return handler.delete({ ...req, options }, user);
      }
      return handler.delete(req, user);
    },
  };
}

type DeleteRequest = Extract<ApiRequest, { verb: 'delete' }>;

async function addFinalizer(handler: RegistryHandler, req: DeleteRequest, log: Logger): Promise<DeleteRequest['options']> {
  const options = req.options ?? {};
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let cur: KObject;
    try {
      cur = await handler.get({ verb: 'get', def: req.def, name: req.name }, apiserverUser as UserInfo);
    } catch {
      return options; // the delete itself answers (404)
    }
    const pre = options.preconditions;
    if (cur.metadata.deletionTimestamp || cur.metadata.finalizers?.includes(cleanupFinalizer)) return options;
    if ((pre?.uid && pre.uid !== cur.metadata.uid) || (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion)) return options;
    const body = { ...cur, metadata: { ...cur.metadata, finalizers: [...(cur.metadata.finalizers ?? []), cleanupFinalizer] } };
    try {
      const next = (await handler.update({ verb: 'update', def: req.def, name: req.name, body, options: { fieldManager: 'kube-apiserver' } }, apiserverUser)).object;
      return pre?.resourceVersion ? { ...options, preconditions: { ...pre, resourceVersion: next.metadata.resourceVersion } } : options;
    } catch (err) {
      if (isConflict(err)) continue;
      // Cannot happen for a CRD the server accepted; deleting it anyway beats refusing to.
      log.warn('could not add the cleanup finalizer to a CustomResourceDefinition', { crd: req.name, err: err instanceof Error ? err.message : String(err) });
      return options;
    }
  }
  return options;
}
