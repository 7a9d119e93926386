import type { DeleteResult } from '../registry/index.ts';
import type { ResourceDef } from '../resource.ts';
import type { DeleteOptions } from '../types/index.ts';

/**
 * Kinds whose upstream REST storage sets `ReturnDeletedObject`: a DELETE that removes one answers
 * with the object. Every other kind answers with a Success Status naming it (generic registry's
 * finalizeDelete), which is what client-go and client-node type their delete calls as.
 */
const returnsDeletedObject = new Set(['/pods', '/services', '/namespaces', '/serviceaccounts', 'storage.k8s.io/storageclasses']);

/** The HTTP code and body of a DELETE of one object, as apiserver's DeleteResource writes them. */
export function deleteResponse(def: ResourceDef, out: DeleteResult, options: DeleteOptions): { code: number; body: unknown } {
  if (!out.deleted) {
    // Legacy clients that asked for cascading with orphanDependents=false get 202 while it runs.
    return { code: options.orphanDependents === false ? 202 : 200, body: out.object };
  }
  if (returnsDeletedObject.has(`${def.group}/${def.plural}`)) return { code: 200, body: out.object };
  const { name, uid } = out.object.metadata;
  return {
    code: 200,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, ...(def.group ? { group: def.group } : {}), kind: def.plural, ...(uid ? { uid } : {}) } },
  };
}
