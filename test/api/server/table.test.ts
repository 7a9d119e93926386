import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, post, startApiServer, type ServerHarness } from './harness.ts';

let h: ServerHarness;
beforeAll(async () => {
  h = await startApiServer();
  await h.request('/api/v1/namespaces', post({ metadata: { name: 'tbl' } }));
  for (const n of ['c1', 'c2', 'c3']) await h.request('/api/v1/namespaces/tbl/configmaps', post(configMap(n, 'tbl', { app: 'x' })));
});
afterAll(() => h?.close());

const kubectlAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const table = (path: string, accept = kubectlAccept) => h.request(path, { headers: { Accept: accept } });
const cms = '/api/v1/namespaces/tbl/configmaps';

describe('apiServer Table output', () => {
  it('lists as a Table with PartialObjectMetadata rows by default', async () => {
    const r = await table(cms);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    const t = r.json!;
    expect(t).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: expect.any(String) } });
    expect(t.columnDefinitions.map((c: { name: string; priority: number }) => [c.name, c.priority])).toEqual([['Name', 0], ['Data', 0], ['Age', 0]]);
    expect(t.columnDefinitions[0]).toMatchObject({ type: 'string', format: 'name' });
    expect(t.rows.map((row: { cells: unknown[] }) => row.cells.slice(0, 2))).toEqual([['c1', 1], ['c2', 1], ['c3', 1]]);
    expect(t.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'c1', namespace: 'tbl', labels: { app: 'x' }, uid: expect.any(String), resourceVersion: expect.any(String), creationTimestamp: expect.any(String) }),
    });
  });

  it('honours includeObject=None and includeObject=Object', async () => {
    const none = (await table(`${cms}?includeObject=None`)).json!;
    expect(none.rows.every((row: object) => !('object' in row))).toBe(true);
    const full = (await table(`${cms}?includeObject=Object`)).json!;
    expect(full.rows[1].object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2' }, data: { k: 'v' } });
    const meta = (await table(`${cms}?includeObject=Metadata`)).json!;
    expect(meta.rows[2].object.kind).toBe('PartialObjectMetadata');
  });

  it('pages a Table with limit and continue', async () => {
    const first = (await table(`${cms}?limit=2`)).json!;
    expect(first.rows.map((row: { cells: string[] }) => row.cells[0])).toEqual(['c1', 'c2']);
    expect(first.metadata.continue).toEqual(expect.any(String));
    const rest = (await table(`${cms}?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`)).json!;
    expect(rest.rows.map((row: { cells: string[] }) => row.cells[0])).toEqual(['c3']);
    expect(rest.metadata.continue).toBeUndefined();
  });

  it('answers a single GET with a one-row Table', async () => {
    const t = (await table(`${cms}/c2`)).json!;
    expect(t.kind).toBe('Table');
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0].cells[0]).toBe('c2');
    expect(t.metadata.resourceVersion).toEqual(expect.any(String));
  });

  it('serves kinds with their own columns and a Name/Age fallback for the rest', async () => {
    const ns = (await table('/api/v1/namespaces?fieldSelector=metadata.name%3Dtbl')).json!;
    expect(ns.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(ns.rows[0].cells.slice(0, 2)).toEqual(['tbl', 'Active']);
    expect(ns.rows[0].object.metadata).not.toHaveProperty('namespace');
  });

  it('answers plain JSON when no Table is asked for, and for v1beta1-only clients a v1beta1 Table', async () => {
    const plain = await h.request(cms, { headers: { Accept: 'application/json' } });
    expect(plain.json!.kind).toBe('ConfigMapList');
    expect(plain.headers['content-type']).toBe('application/json');
    const beta = await table(cms, 'application/json;as=Table;v=v1beta1;g=meta.k8s.io');
    expect(beta.json).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1beta1' });
    expect(beta.headers['content-type']).toBe('application/json;as=Table;v=v1beta1;g=meta.k8s.io');
  });

  it('lists an empty Table for a namespace with nothing in it', async () => {
    const t = (await table('/api/v1/namespaces/nothing-here/configmaps')).json!;
    expect(t.kind).toBe('Table');
    expect(t.rows).toEqual([]);
    expect(t.columnDefinitions.length).toBeGreaterThan(0);
  });
});
