import type { KObject } from '../../api/types/index.ts';

export { selectorMatches, type LabelSelector } from '../../api/label-selector.ts';

/** The controller owner reference of `obj`, if any. */
export function controllerOf(obj: KObject): { apiVersion: string; kind: string; name: string; uid: string } | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.controller);
}
