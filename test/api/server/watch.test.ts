import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, lines, post, startApiServer, type ServerHarness } from './harness.ts';

let h: ServerHarness;
beforeAll(async () => {
  h = await startApiServer();
});
afterAll(() => h?.close());

const cms = '/api/v1/namespaces/default/configmaps';
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

describe('apiServer watch streams', () => {
  it('streams one JSON object per line over chunked HTTP, initial state first', async () => {
    await h.request(cms, post(configMap('a', 'default', { w: 'frame' })));
    await h.request(cms, post(configMap('b', 'default', { w: 'frame' })));
    const res = await h.open(`${cms}?watch=true&labelSelector=w%3Dframe`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const s = lines(res);
    expect([await s.next(), await s.next()].map((e) => [e.type, e.object.metadata.name]).sort()).toEqual([['ADDED', 'a'], ['ADDED', 'b']]);
    await h.request(`${cms}/a`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"data":{"k":"2"}}' });
    await h.request(`${cms}/b`, { method: 'DELETE' });
    const modified = await s.next();
    expect(modified).toMatchObject({ type: 'MODIFIED', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: '2' } } });
    expect(await s.next()).toMatchObject({ type: 'DELETED', object: { kind: 'ConfigMap', metadata: { name: 'b' } } });
    for (const line of s.raw) expect(Object.keys(JSON.parse(line))).toEqual(['type', 'object']);
    res.destroy();
  });

  it('sends bookmarks only when asked, and ends at timeoutSeconds', async () => {
    const rv = (await h.request(cms)).json!.metadata.resourceVersion as string;
    // Both streams run at once; the asked-for one gets its bookmark before the deadline.
    const [withMarks, without] = await Promise.all([
      h.open(`${cms}?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=${rv}`),
      h.open(`${cms}?watch=true&timeoutSeconds=3&resourceVersion=${rv}`),
    ]).then((rs) => rs.map(lines));
    const bookmark = await withMarks.next();
    expect(bookmark).toMatchObject({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.any(String) } } });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
    await Promise.all([withMarks.ended, without.ended]);
    expect(withMarks.raw.map((l) => JSON.parse(l).type)).toEqual(['BOOKMARK']);
    expect(without.raw).toEqual([]);
  });

  it('answers a resourceVersion older than the compacted history with one 410 ERROR event, then ends', async () => {
    for (const n of ['old1', 'old2', 'old3']) await h.request('/api/v1/namespaces/default/secrets', post({ apiVersion: 'v1', kind: 'Secret', metadata: { name: n } }));
    const rev = h.store.currentRevision();
    await h.store.compact(rev);
    const res = await h.open('/api/v1/namespaces/default/secrets?watch=true&resourceVersion=2');
    expect(res.statusCode).toBe(200);
    const s = lines(res);
    const ev = await s.next();
    expect(ev.type).toBe('ERROR');
    expect(ev.object).toMatchObject({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410 });
    expect(ev.object.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
    await s.ended;
    expect(s.raw).toHaveLength(1);
  });

  it('streams Tables when asked: column definitions in the first event only', async () => {
    await h.request(cms, post(configMap('t1', 'default', { w: 'table' })));
    const res = await h.open(`${cms}?watch=true&labelSelector=w%3Dtable`, { headers: { Accept: tableAccept } });
    const s = lines(res);
    const first = await s.next();
    expect(first).toMatchObject({ type: 'ADDED', object: { kind: 'Table', apiVersion: 'meta.k8s.io/v1' } });
    expect(first.object.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(first.object.rows).toHaveLength(1);
    expect(first.object.rows[0].cells.slice(0, 2)).toEqual(['t1', 1]);
    expect(first.object.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 't1', namespace: 'default', labels: { w: 'table' } } });
    await h.request(cms, post(configMap('t2', 'default', { w: 'table' })));
    const second = await s.next();
    expect(second.object.columnDefinitions).toEqual([]);
    expect(second.object.rows[0].cells[0]).toBe('t2');
    res.destroy();
  });

  it('rejects a bad selector before streaming', async () => {
    const r = await h.request(`${cms}?watch=true&labelSelector=a%20in%20(`);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });
});
