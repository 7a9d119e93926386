import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { cluster, configMap, configmaps, failure, type Cluster } from './fixtures.ts';

async function seed(c: Cluster, n: number, labels?: (i: number) => Record<string, string>): Promise<void> {
  for (let i = 0; i < n; i++) await c.create(configmaps, 'default', configMap(`cm-${String(i).padStart(3, '0')}`, {}, labels?.(i)));
}

async function pages(c: Cluster, limit: number, extra: Record<string, string> = {}): Promise<{ names: string[][]; revisions: string[] }> {
  const names: string[][] = [];
  const revisions: string[] = [];
  let cont: string | undefined;
  do {
    const page = await c.list(configmaps, 'default', { limit, continue: cont, ...extra });
    names.push(page.items.map((i: KObject) => i.metadata.name!));
    revisions.push(page.metadata.resourceVersion!);
    cont = page.metadata.continue;
  } while (cont);
  return { names, revisions };
}

describe('createApiHandler list paging', () => {
  it('pages with limit/continue and reports remainingItemCount', async () => {
    const c = await cluster();
    await seed(c, 7);
    const first = await c.list(configmaps, 'default', { limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.metadata.remainingItemCount).toBe(4);
    expect(first.metadata.continue).toBeTruthy();
    const { names, revisions } = await pages(c, 3);
    expect(names.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(names.flat()).toEqual(Array.from({ length: 7 }, (_, i) => `cm-00${i}`));
    expect(new Set(revisions).size).toBe(1);
    // A limit that ends exactly at the last item needs no continue.
    expect((await c.list(configmaps, 'default', { limit: 7 })).metadata.continue).toBeUndefined();
  });

  it('keeps every page at the first page\'s revision while writes happen', async () => {
    const c = await cluster();
    await seed(c, 10);
    const first = await c.list(configmaps, 'default', { limit: 4 });
    // Changes after the first page: a delete, an update and a create all stay invisible.
    await c.remove(configmaps, 'default', 'cm-005');
    await c.update(configmaps, 'default', { ...configMap('cm-006', { changed: 'yes' }) });
    await c.create(configmaps, 'default', configMap('cm-004a'));
    const names = first.items.map((i) => i.metadata.name);
    let cont = first.metadata.continue;
    while (cont) {
      const page = await c.list(configmaps, 'default', { limit: 4, continue: cont });
      expect(page.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
      for (const i of page.items) {
        names.push(i.metadata.name);
        if (i.metadata.name === 'cm-006') expect(i.data).toEqual({});
      }
      cont = page.metadata.continue;
    }
    expect(names).toEqual(Array.from({ length: 10 }, (_, i) => `cm-00${i}`.replace('cm-0010', 'cm-010')));
  });

  it('counts only matching items toward the limit with a selector', async () => {
    const c = await cluster();
    await seed(c, 30, (i) => ({ even: String(i % 2 === 0) }));
    const { names } = await pages(c, 4, { labelSelector: 'even=true' });
    expect(names.flat()).toHaveLength(15);
    expect(names.slice(0, -1).every((p) => p.length === 4)).toBe(true);
    const page = await c.list(configmaps, 'default', { limit: 4, labelSelector: 'even=true' });
    expect(page.metadata.remainingItemCount).toBeUndefined();
  });

  it('answers 410 with a fresh token once the revision is compacted', async () => {
    const c = await cluster();
    await seed(c, 5);
    const first = await c.list(configmaps, 'default', { limit: 2 });
    await c.create(configmaps, 'default', configMap('cm-zzz'));
    await c.store.compact(c.store.currentRevision());
    const err = await failure(c.list(configmaps, 'default', { limit: 2, continue: first.metadata.continue }));
    expect(err.code).toBe(410);
    expect(err.reason).toBe('Expired');
    expect(err.message).toBe(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    );
    // The token in the Status continues (inconsistently) at the current revision.
    const token = (err.status.metadata as { continue: string }).continue;
    const rest = await c.list(configmaps, 'default', { limit: 10, continue: token });
    expect(rest.items.map((i) => i.metadata.name)).toEqual(['cm-002', 'cm-003', 'cm-004', 'cm-zzz']);
    expect(rest.metadata.resourceVersion).toBe(String(c.store.currentRevision()));
  });

  it('rejects malformed tokens and a resourceVersion beside continue', async () => {
    const c = await cluster();
    await seed(c, 3);
    const first = await c.list(configmaps, 'default', { limit: 1 });
    const garbage = await failure(c.list(configmaps, 'default', { continue: 'not-a-token' }));
    expect(garbage.code).toBe(400);
    expect(garbage.message).toMatch(/^invalid continue token: continue key is not valid/);
    const traversal = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 5, start: '../x' })).toString('base64url');
    expect((await failure(c.list(configmaps, 'default', { continue: traversal }))).code).toBe(400);
    const withRv = await failure(c.list(configmaps, 'default', { continue: first.metadata.continue, resourceVersion: '3' }));
    expect(withRv.message).toBe('specifying resource version is not allowed when using continue');
    expect((await c.list(configmaps, 'default', { continue: first.metadata.continue, resourceVersion: '0' })).items).toHaveLength(2);
  });
});
