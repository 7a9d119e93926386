import { badRequest } from '../status.ts';
import type { GVK, SchemaHooks } from './schema-hooks.ts';

const QUANTITY_RULE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/**
 * A body whose resource quantities (requests, limits, capacities, quota limits…) are not
 * quantities is refused with 400 as upstream's decoder refuses it, before anything reads them.
 */
export function checkQuantities(hooks: SchemaHooks, gvk: GVK, obj: unknown): void {
  if (hooks.hasBadQuantities(gvk, obj)) throw badRequest(`${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${QUANTITY_RULE}`);
}
