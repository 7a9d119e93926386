import { describe, expect, it } from 'vitest';
import { cluster, configMap, configmaps, eventsV1, events, failure, namespaces, nodes, pod, pods, settle } from './fixtures.ts';

describe('createApiHandler get', () => {
  it('reads the current object for resourceVersion "", "0" and a reached N', async () => {
    const c = await cluster();
    const cm = await c.create(configmaps, 'default', configMap('a', { k: 'v' }));
    for (const rv of [undefined, '', '0', '1', cm.metadata.resourceVersion]) {
      expect(await c.get(configmaps, 'default', 'a', { resourceVersion: rv })).toEqual(cm);
    }
    const missing = await failure(c.get(configmaps, 'default', 'nope'));
    expect(missing).toMatchObject({ code: 404, reason: 'NotFound', message: 'configmaps "nope" not found' });
    expect(missing.status.details).toEqual({ name: 'nope', kind: 'configmaps' });
  });

  it('waits for a future resourceVersion, then answers 504 Too large resource version', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('a'));
    const future = c.store.currentRevision() + 1;
    const pending = c.get(configmaps, 'default', 'a', { resourceVersion: String(future) });
    let settled = false;
    void pending.then(() => (settled = true), () => (settled = true));
    c.clock.advance(100);
    await settle();
    expect(settled).toBe(false);
    // The write that reaches the revision releases the read.
    await c.create(configmaps, 'default', configMap('b'));
    c.clock.advance(25);
    expect((await pending).metadata.name).toBe('a');

    const far = c.get(configmaps, 'default', 'a', { resourceVersion: String(future + 100) });
    const outcome = failure(far);
    for (let i = 0; i < 130; i++) {
      c.clock.advance(25);
      await settle();
    }
    const err = await outcome;
    expect(err.code).toBe(504);
    expect(err.reason).toBe('Timeout');
    expect(err.message).toBe(`Too large resource version: ${future + 100}, current: ${c.store.currentRevision()}`);
  });

  it('rejects names that would escape their key', async () => {
    const c = await cluster();
    expect((await failure(c.get(configmaps, 'default', '../x'))).code).toBe(400);
    expect((await failure(c.get(configmaps, undefined, 'x'))).code).toBe(400);
  });
});

describe('createApiHandler list', () => {
  it('lists one namespace or all, with list kind, apiVersion on items and the store revision', async () => {
    const c = await cluster();
    await c.create(namespaces, undefined, { metadata: { name: 'other' } });
    await c.create(configmaps, 'default', configMap('a'));
    await c.create(configmaps, 'other', configMap('b'));
    await c.create(nodes, undefined, { metadata: { name: 'n1' } });
    const one = await c.list(configmaps, 'default');
    expect(one.kind).toBe('ConfigMapList');
    expect(one.apiVersion).toBe('v1');
    expect(one.items.map((i) => i.metadata.name)).toEqual(['a']);
    expect(one.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    // The list revision is the store's, even when the newest write was to another resource.
    expect(one.metadata.resourceVersion).toBe(String(c.store.currentRevision()));
    const all = await c.list(configmaps, undefined);
    expect(all.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['default/a', 'other/b']);
    expect((await c.list(configmaps, 'nowhere')).items).toEqual([]);
    expect((await c.list(nodes, 'ignored')).items.map((i) => i.metadata.name)).toEqual(['n1']);
  });

  it('filters by label selectors', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('a', {}, { app: 'web', tier: 'fe' }));
    await c.create(configmaps, 'default', configMap('b', {}, { app: 'web', tier: 'be' }));
    await c.create(configmaps, 'default', configMap('c', {}, { app: 'db' }));
    await c.create(configmaps, 'default', configMap('d'));
    const names = async (labelSelector: string) => (await c.list(configmaps, 'default', { labelSelector })).items.map((i) => i.metadata.name).join(',');
    expect(await names('app=web')).toBe('a,b');
    expect(await names('app==web,tier!=fe')).toBe('b');
    expect(await names('app in (db, web),tier notin (be)')).toBe('a,c');
    expect(await names('tier')).toBe('a,b');
    expect(await names('!tier')).toBe('c,d');
    expect(await names('app!=web')).toBe('c,d');
    expect(await names('')).toBe('a,b,c,d');
    const err = await failure(c.list(configmaps, 'default', { labelSelector: 'app in' }));
    expect(err.code).toBe(400);
    expect(err.message).toBe("unable to parse requirement: found '', expected: '('");
  });

  it('filters by field selectors and refuses unsupported fields', async () => {
    const c = await cluster();
    await c.create(pods, 'default', pod('p1', { spec: { nodeName: 'n1' } }));
    await c.create(pods, 'default', pod('p2', { spec: { nodeName: 'n2' } }));
    await c.create(pods, 'default', pod('p3'));
    const names = async (fieldSelector: string) => (await c.list(pods, undefined, { fieldSelector })).items.map((i) => i.metadata.name).join(',');
    expect(await names('spec.nodeName=n1')).toBe('p1');
    expect(await names('spec.nodeName!=n1,status.phase!=Succeeded')).toBe('p2,p3');
    expect(await names('spec.nodeName=')).toBe('p3');
    expect(await names('metadata.name=p2,metadata.namespace=default')).toBe('p2');
    const err = await failure(c.list(pods, 'default', { fieldSelector: 'spec.foo=x' }));
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest', message: 'field label not supported: spec.foo' });
    expect((await failure(c.list(pods, 'default', { fieldSelector: 'nonsense' }))).message).toBe("invalid selector: 'nonsense'; can't understand 'nonsense'");
  });

  it('reads at an exact revision, and 410 once it is compacted', async () => {
    const c = await cluster();
    await c.create(configmaps, 'default', configMap('a'));
    const at = c.store.currentRevision();
    await c.create(configmaps, 'default', configMap('b'));
    const exact = await c.list(configmaps, 'default', { resourceVersion: String(at), resourceVersionMatch: 'Exact' });
    expect(exact.items.map((i) => i.metadata.name)).toEqual(['a']);
    expect(exact.metadata.resourceVersion).toBe(String(at));
    // Legacy rule: a resourceVersion with a limit and no match is Exact too.
    const legacy = await c.list(configmaps, 'default', { resourceVersion: String(at), limit: 10 });
    expect(legacy.items).toHaveLength(1);
    const notOlder = await c.list(configmaps, 'default', { resourceVersion: String(at), resourceVersionMatch: 'NotOlderThan' });
    expect(notOlder.items).toHaveLength(2);
    await c.store.compact(c.store.currentRevision());
    const err = await failure(c.list(configmaps, 'default', { resourceVersion: String(at), resourceVersionMatch: 'Exact' }));
    expect(err).toMatchObject({ code: 410, reason: 'Expired', message: 'The resourceVersion for the provided list is too old.' });
  });

  it('validates list options as ListOptions', async () => {
    const c = await cluster();
    const noRv = await failure(c.list(configmaps, 'default', { resourceVersionMatch: 'Exact' }));
    expect(noRv.code).toBe(422);
    expect(noRv.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    expect((await failure(c.list(configmaps, 'default', { resourceVersion: 'abc' }))).code).toBe(400);
  });

  it('serves two kinds sharing storage, each in its own version', async () => {
    const c = await cluster();
    await c.create(eventsV1, 'default', { metadata: { name: 'e1' }, note: 'hello' });
    const core = await c.get(events, 'default', 'e1');
    expect(core).toMatchObject({ apiVersion: 'v1', kind: 'Event', message: 'hello' });
    expect(core).not.toHaveProperty('note');
    const v1 = (await c.list(eventsV1, 'default')).items[0];
    expect(v1).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event', note: 'hello' });
    expect(v1).not.toHaveProperty('message');
  });
});
