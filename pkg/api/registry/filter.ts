import type { ResourceDef } from '../resource.ts';
import type { KObject } from '../types/index.ts';
import { compileFieldSelector } from './field-selectors.ts';
import { matchesLabels, parseLabelSelector } from './selectors.ts';

/** A list or watch's label + field selector, compiled once per request (400 on bad syntax). */
export interface ObjectFilter {
  /** True when both selectors are empty: everything matches. */
  readonly empty: boolean;
  matches(obj: KObject): boolean;
}

export function compileFilter(def: ResourceDef, labelSelector: string | undefined, fieldSelector: string | undefined): ObjectFilter {
  const labels = parseLabelSelector(labelSelector);
  const fields = compileFieldSelector(def, fieldSelector);
  if (labels.length === 0 && !fields) return { empty: true, matches: () => true };
  return {
    empty: false,
    matches: (obj) => matchesLabels(labels, obj.metadata?.labels) && (!fields || fields(obj)),
  };
}
