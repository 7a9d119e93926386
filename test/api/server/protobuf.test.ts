import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, f } from '../protobuf/writer.ts';
import { post, startApiServer, type ServerHarness } from './harness.ts';

let h: ServerHarness;
beforeAll(async () => {
  h = await startApiServer();
});
afterAll(() => h?.close());

const protobuf = (method: string, body: Buffer) => ({ method, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/vnd.kubernetes.protobuf, */*' }, body });
const meta = (name: string) => f.msg(1, f.bytes(1, name), f.bytes(3, ''), f.msg(8));
const cms = '/api/v1/namespaces/default/configmaps';

describe('apiServer protobuf bodies', () => {
  it('creates from a protobuf body and answers JSON', async () => {
    const r = await h.request(`${cms}?fieldManager=kubectl-create&fieldValidation=Strict`, protobuf('POST', envelope('v1', 'ConfigMap', [...meta('pb1'), ...f.entry(2, 'k', 'v')])));
    expect(r.status, r.text).toBe(201);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'pb1', namespace: 'default' }, data: { k: 'v' } });
    expect(r.json!.metadata.managedFields[0].manager).toBe('kubectl-create');
  });

  it('updates from a protobuf body and deletes with protobuf DeleteOptions', async () => {
    const created = await h.request(cms, post({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pb2' } }));
    const rv = created.json!.metadata.resourceVersion as string;
    const put = await h.request(`${cms}/pb2`, protobuf('PUT', envelope('v1', 'ConfigMap', [...f.msg(1, f.bytes(1, 'pb2'), f.bytes(6, rv)), ...f.entry(2, 'new', 'yes')])));
    expect(put.status, put.text).toBe(200);
    expect(put.json!.data).toEqual({ new: 'yes' });
    // A precondition on the wrong uid must stop the delete: proof the options were read.
    const wrong = await h.request(`${cms}/pb2`, protobuf('DELETE', envelope('v1', 'DeleteOptions', f.msg(2, f.bytes(1, 'not-the-uid')))));
    expect(wrong.status, wrong.text).toBe(409);
    const del = await h.request(`${cms}/pb2`, protobuf('DELETE', envelope('v1', 'DeleteOptions', [...f.varint(1, 0), ...f.bytes(4, 'Background')])));
    expect(del.status, del.text).toBe(200);
    expect((await h.request(`${cms}/pb2`)).status).toBe(404);
  });

  it('answers malformed protobuf with 400 and kinds it cannot decode with 415, storing nothing', async () => {
    const before = (await h.request(cms)).json!.items.length;
    const bad = await h.request(cms, protobuf('POST', Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff])));
    expect(bad.status, bad.text).toBe(400);
    expect(bad.json).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    expect(bad.json!.message).toMatch(/could not be decoded as protobuf/);
    const noMagic = await h.request(cms, protobuf('POST', Buffer.from('{"kind":"ConfigMap"}')));
    expect(noMagic.status).toBe(400);
    const node = await h.request('/api/v1/nodes', protobuf('POST', envelope('v1', 'Node', meta('n1'))));
    expect(node.status, node.text).toBe(415);
    expect(node.json).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
    expect((await h.request(cms)).json!.items.length).toBe(before);
  });

  it('refuses a protobuf body whose kind does not match the resource, as a JSON body would be', async () => {
    const r = await h.request(cms, protobuf('POST', envelope('v1', 'Secret', meta('wrong'))));
    expect(r.status, r.text).toBe(400);
    expect((await h.request(`${cms}/wrong`)).status).toBe(404);
  });
});
