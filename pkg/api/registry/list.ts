import { CompactedError } from '../../store/index.ts';
import type { ListOptions } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { expired } from '../status.ts';
import type { KList, KObject, ListMeta } from '../types/index.ts';
import { decode } from './codec.ts';
import type { RegistryContext } from './context.ts';
import { continueExpired, decodeContinue, encodeContinue } from './continue.ts';
import { compileFilter, type ObjectFilter } from './filter.ts';
import { collectionPrefix } from './keys.ts';
import { apiVersionOf } from './meta.ts';
import { readAtForList, validateListOptions, waitForRevision } from './resource-version.ts';
import { collectionNamespace } from './scope.ts';
import { fromStoreError } from './store-errors.ts';

// Reads with a selector fetch at least this many keys per store call, so a sparse match does not
// turn into one store round trip per object.
const MIN_FILTERED_PAGE = 100;

/**
 * LIST (kubectl-api.md §8). Selectors filter after reading; `limit` counts matching items and
 * `continue` pins later pages to the first page's revision. `metadata.resourceVersion` is the
 * store revision the list was read at, so a watch from it misses nothing.
 */
export async function listObjects(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, opts: ListOptions): Promise<KList> {
  validateListOptions(opts, false);
  const filter = compileFilter(def, opts.labelSelector, opts.fieldSelector);
  const prefix = collectionPrefix(def, collectionNamespace(def, namespace));
  const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined;

  let revision: number | undefined;
  let after: string | undefined;
  if (opts.continue) {
    ({ revision, after } = decodeContinue(opts.continue, prefix));
  } else {
    const at = readAtForList(opts);
    if (at.kind === 'notOlderThan' || at.kind === 'exact') await waitForRevision(ctx, at.revision);
    if (at.kind === 'exact') revision = at.revision;
  }

  let page: Page;
  try {
    page = await readPage(ctx, def, prefix, filter, { revision, after, limit });
  } catch (err) {
    if (err instanceof CompactedError) {
      if (opts.continue) throw continueExpired(after!, prefix);
      throw expired('The resourceVersion for the provided list is too old.');
    }
    throw fromStoreError(err, def, '');
  }
  const metadata: ListMeta = { resourceVersion: String(page.revision) };
  if (page.lastKey !== undefined) metadata.continue = encodeContinue(page.revision, page.lastKey, prefix);
  if (page.remaining !== undefined && page.remaining > 0) metadata.remainingItemCount = page.remaining;
  return { apiVersion: apiVersionOf(def), kind: `${def.kind}List`, metadata, items: page.items };
}

interface Page {
  items: KObject[];
  revision: number;
  /** Key of the last item returned, when more keys follow. */
  lastKey?: string;
  /** Keys after this page (only without selectors, as upstream: it is exact then). */
  remaining?: number;
}

async function readPage(
  ctx: RegistryContext,
  def: ResourceDef,
  prefix: string,
  filter: ObjectFilter,
  at: { revision: number | undefined; after: string | undefined; limit: number | undefined },
): Promise<Page> {
  const { limit } = at;
  const items: KObject[] = [];
  let revision = at.revision;
  let after = at.after;
  for (;;) {
    const want = limit === undefined ? undefined : filter.empty ? limit - items.length : Math.max(limit, MIN_FILTERED_PAGE);
    const res = await ctx.store.list(prefix, { revision, after, limit: want });
    revision = res.revision;
    for (let i = 0; i < res.items.length; i++) {
      const kv = res.items[i];
      const obj = decode(def, kv.value, kv.modRevision);
      if (!filter.matches(obj)) continue;
      items.push(obj);
      if (limit !== undefined && items.length === limit) {
        const more = i < res.items.length - 1 || res.more;
        if (!more) return { items, revision };
        return { items, revision, lastKey: kv.key, remaining: filter.empty ? res.count - (i + 1) : undefined };
      }
    }
    if (!res.more || res.items.length === 0) return { items, revision };
    after = res.items[res.items.length - 1].key;
  }
}
