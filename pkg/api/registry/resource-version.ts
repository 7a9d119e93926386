import type { FieldError } from '../status.ts';
import { badRequest, invalid } from '../status.ts';
import type { ListOptions } from '../request.ts';
import type { RegistryContext } from './context.ts';
import { tooLargeResourceVersion } from './store-errors.ts';

/**
 * What a read's resourceVersion asks for (kubectl-api.md §8):
 * - `latest`: unset or "" — the current state.
 * - `any`: "0" — any state; skiff's is always current.
 * - `notOlderThan`: N — at least N (waits briefly when N is in the future, then 504).
 * - `exact`: N with resourceVersionMatch=Exact, or the legacy default for a paged list — the
 *   state at revision N (410 when compacted).
 */
export type ReadAt = { kind: 'latest' } | { kind: 'any' } | { kind: 'notOlderThan'; revision: number } | { kind: 'exact'; revision: number };

export function parseRevision(rv: string): number {
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(Number(rv))) throw badRequest(`resourceVersion: Invalid value: ${JSON.stringify(rv)}: must be a non-negative integer`);
  return Number(rv);
}

/** For a single-object GET. */
export function readAtForGet(rv: string | undefined): ReadAt {
  if (!rv) return { kind: 'latest' };
  if (rv === '0') return { kind: 'any' };
  return { kind: 'notOlderThan', revision: parseRevision(rv) };
}

/** Validates list/watch options as ValidateListOptions does (422 on ListOptions.meta.k8s.io). */
export function validateListOptions(opts: ListOptions, watch: boolean): void {
  const errs: FieldError[] = [];
  const match = opts.resourceVersionMatch;
  if (match) {
    const forbidden = (msg: string) => errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', message: `Forbidden: ${msg}` });
    if (watch) forbidden('resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
    else if (match !== 'Exact' && match !== 'NotOlderThan') {
      errs.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', message: `Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan"` });
    } else if (!opts.resourceVersion) forbidden('resourceVersionMatch is forbidden unless resourceVersion is provided');
    else if (opts.continue) forbidden('resourceVersionMatch is forbidden when continue is provided');
    else if (match === 'Exact' && opts.resourceVersion === '0') forbidden('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  }
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 0)) {
    errs.push({ type: 'FieldValueInvalid', field: 'limit', message: `Invalid value: ${opts.limit}: must be a non-negative integer` });
  }
  if (errs.length) throw invalid('meta.k8s.io', 'ListOptions', '', errs);
  if (!watch && opts.continue && opts.resourceVersion && opts.resourceVersion !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
}

/** For a list (options already validated). */
export function readAtForList(opts: ListOptions): ReadAt {
  const rv = opts.resourceVersion;
  if (!rv) return { kind: 'latest' };
  if (rv === '0') return { kind: 'any' };
  const revision = parseRevision(rv);
  const paged = opts.limit !== undefined && opts.limit > 0;
  // Legacy rule: a non-zero resourceVersion with a limit and no match means Exact.
  if (opts.resourceVersionMatch === 'Exact' || (!opts.resourceVersionMatch && paged)) return { kind: 'exact', revision };
  return { kind: 'notOlderThan', revision };
}

/**
 * Resolves once the store has reached `revision`; after `futureRevisionWaitMs` throws 504
 * "Too large resource version" (the apiserver waits 3 s for its watch cache the same way).
 */
export async function waitForRevision(ctx: RegistryContext, revision: number): Promise<void> {
  if (ctx.store.currentRevision() >= revision) return;
  const step = 25;
  let waited = 0;
  while (ctx.store.currentRevision() < revision) {
    if (waited >= ctx.tuning.futureRevisionWaitMs) throw tooLargeResourceVersion(revision, ctx.store.currentRevision());
    await new Promise<void>((resolve) => ctx.timers.setTimeout(resolve, step));
    waited += step;
  }
}
