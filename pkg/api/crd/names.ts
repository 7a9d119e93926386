import type { ResourceDef } from '../resource.ts';
import type { KObject } from '../types/index.ts';
import { isRecord } from './schema.ts';

export interface Names {
  plural: string;
  singular?: string;
  shortNames?: string[];
  kind: string;
  listKind?: string;
  categories?: string[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

const namesOf = (v: unknown): Names => (isRecord(v) ? (v as unknown as Names) : { plural: '', kind: '' });
export const specNames = (crd: KObject) => namesOf((crd.spec as any)?.names);
export const acceptedNames = (crd: KObject) => namesOf((crd.status as any)?.acceptedNames);
export const conditionOf = (crd: KObject, type: string): Condition | undefined =>
  ((crd.status as any)?.conditions ?? []).find((c: Condition) => c?.type === type);
export const isTrue = (crd: KObject, type: string) => conditionOf(crd, type)?.status === 'True';

/**
 * apiextensions' naming controller: which of the requested names this CRD may have, given the
 * names other CRDs of its group accepted and the built-in kinds of that group. A name equal to
 * the one already accepted is always kept; a taken one is refused (and the accepted one kept),
 * with NamesAccepted False saying which. Established turns True only once every name was
 * accepted, and then stays True.
 */
export function nameCrd(crd: KObject, others: KObject[], builtIns: ResourceDef[]): { names: Names; namesAccepted: Condition; established: Condition } {
  const group = (crd.spec as any)?.group;
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const o of others) {
    if ((o.spec as any)?.group !== group || o.metadata.name === crd.metadata.name) continue;
    const n = acceptedNames(o);
    for (const r of [n.plural, n.singular, ...(n.shortNames ?? [])]) if (r) resources.add(r);
    for (const k of [n.kind, n.listKind]) if (k) kinds.add(k);
  }
  for (const d of builtIns) {
    if (d.group !== group) continue;
    for (const r of [d.plural, d.singular, ...(d.shortNames ?? [])]) resources.add(r);
    kinds.add(d.kind).add(`${d.kind}List`);
  }
  const want = specNames(crd);
  const had = acceptedNames(crd);
  const next: Names = { ...had };
  let refused: Condition | undefined;
  const refuse = (reason: string, message: string) => {
    // As upstream, each refusal overwrites the previous one: the condition names the last.
    refused = { type: 'NamesAccepted', status: 'False', reason, message };
  };
  const fresh = (requested: string | undefined, accepted: string | undefined, used: Set<string>) =>
    !requested || requested === accepted || !used.has(requested) ? undefined : `"${requested}" is already in use`;

  const check = (key: 'plural' | 'singular' | 'kind' | 'listKind', used: Set<string>, reason: string) => {
    const err = fresh(want[key], had[key], used);
    if (err) refuse(reason, err);
    else if (want[key] !== undefined) next[key] = want[key] as string;
  };
  check('plural', resources, 'PluralConflict');
  check('singular', resources, 'SingularConflict');
  const mine = new Set(had.shortNames ?? []);
  const shortErrs = (want.shortNames ?? []).filter((s) => !mine.has(s)).map((s) => fresh(s, '', resources)).filter(Boolean);
  if (shortErrs.length) refuse('ShortNamesConflict', shortErrs.length === 1 ? shortErrs[0]! : `[${shortErrs.join(', ')}]`);
  else if (want.shortNames) next.shortNames = want.shortNames;
  else delete next.shortNames;
  check('kind', kinds, 'KindConflict');
  check('listKind', kinds, 'ListKindConflict');
  if (want.categories) next.categories = want.categories;
  else delete next.categories;

  const namesAccepted: Condition = refused ?? { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };
  let established: Condition = conditionOf(crd, 'Established') ?? { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };
  // The naming and establishing controllers in one step: skiff serves the names before it says so.
  if (established.status !== 'True' && namesAccepted.status === 'True') {
    established = { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' };
  }
  return { names: next, namesAccepted, established };
}

/**
 * SetCRDCondition: replaces the condition of that type, keeping its lastTransitionTime while
 * the status stays the same; a new type is appended.
 */
export function setCondition(conditions: Condition[], c: Condition, now: string): Condition[] {
  const i = conditions.findIndex((x) => x.type === c.type);
  if (i < 0) return [...conditions, { ...c, lastTransitionTime: now }];
  const old = conditions[i];
  const next = { ...c, lastTransitionTime: old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now };
  return conditions.map((x, j) => (j === i ? next : x));
}
