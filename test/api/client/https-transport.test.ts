import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsClient, type Client } from '../../../pkg/api/client/index.ts';
import { readKubeconfig } from '../../../pkg/api/auth/index.ts';
import { configMap, deployment, freshNamespace, gate, httpsHarness, statusOf, type HttpsHarness } from './harness.ts';

describe('httpsClient over a real apiServer', () => {
  let h: HttpsHarness;
  beforeAll(async () => {
    h = await httpsHarness();
  });
  afterAll(async () => h?.close());

  it('fails with exactly the Status the in-process client gets on the same cluster', async () => {
    const ns = await freshNamespace(h.client);
    const [remote, local] = [h.client, h.inProcess].map((c) => c.resource('v1', 'configmaps'));
    const first = await remote.create(ns, configMap('same'));
    await remote.update(ns, { ...first, data: { a: '1' } });
    const cases = [
      (c: typeof remote) => c.get(ns, 'missing'),
      (c: typeof remote) => c.create(ns, configMap('same')),
      (c: typeof remote) => c.update(ns, { ...first, data: { a: '2' } }),
      (c: typeof remote) => c.delete(ns, 'missing'),
      (c: typeof remote) => c.patch(ns, 'same', 'json', [{ op: 'test', path: '/data/a', value: 'x' }]),
      (c: typeof remote) => c.list(ns, { labelSelector: 'a in (' }),
    ];
    for (const call of cases) expect(await statusOf(call(remote))).toEqual(await statusOf(call(local)));
    const invalid = (c: Client) => c.resource('apps/v1', 'deployments').create(ns, deployment('bad', -1));
    const status = await statusOf(invalid(h.client));
    expect(status).toEqual(await statusOf(invalid(h.inProcess)));
    expect(status.code).toBe(422);
    for (const c of [h.client, h.inProcess]) expect(await statusOf(c.resource('nope.io/v1', 'x').get('default', 'y'))).toMatchObject({ code: 404 });
  });

  it('sends DELETE options in a sized body, keeping the connection usable for the next call', async () => {
    const ns = await freshNamespace(h.client);
    const cms = h.client.resource('v1', 'configmaps');
    for (const n of ['d1', 'd2', 'd3']) await cms.create(ns, configMap(n));
    for (const n of ['d1', 'd2', 'd3']) expect((await cms.delete(ns, n, { gracePeriodSeconds: 0, propagationPolicy: 'Background' })).metadata.name).toBe(n);
    expect((await cms.list(ns)).items).toEqual([]);
  });

  it('authenticates with explicit credentials: client certificate or bearer token', async () => {
    const creds = readKubeconfig(h.server.kubeconfigPath!);
    const byCert = httpsClient({ server: h.server.url!, caCert: creds.caCert, clientCert: creds.clientCert, clientKey: creds.clientKey });
    expect((await byCert.resource('v1', 'namespaces').get(undefined, 'default')).metadata.name).toBe('default');
    byCert.close();
    const token = (await readFile(join(h.dataDir, 'server', 'token'), 'utf8')).split(',')[0];
    const byToken = httpsClient({ server: h.server.url!, caCert: creds.caCert, token });
    expect((await byToken.resource('v1', 'namespaces').get(undefined, 'default')).metadata.name).toBe('default');
    byToken.close();
  });

  it("passes the server's 401 Status through when there are no credentials", async () => {
    const { caCert } = readKubeconfig(h.server.kubeconfigPath!);
    const anonymous = httpsClient({ server: h.server.url!, caCert, token: 'not-a-token' });
    expect(await statusOf(anonymous.resource('v1', 'configmaps').list('default'))).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    anonymous.close();
  });

  it('turns connection failures into 503 ServiceUnavailable with the cause', async () => {
    const { caCert } = readKubeconfig(h.server.kubeconfigPath!);
    const wrongCa = httpsClient({ server: h.server.url!, caCert: readKubeconfig(h.server.kubeconfigPath!).clientCert! });
    const err = (await wrongCa.resource('v1', 'configmaps').list('default').then(() => undefined, (e: unknown) => e)) as Error & { cause?: unknown };
    expect(err).toMatchObject({ name: 'StatusError', code: 503, reason: 'ServiceUnavailable' });
    expect(err.cause).toBeInstanceOf(Error);
    wrongCa.close();
    const closed = httpsClient({ server: 'https://127.0.0.1:1', caCert });
    expect(await statusOf(closed.resource('v1', 'configmaps').get('default', 'x'))).toMatchObject({ code: 503, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('passes watch ERROR events through and ends the stream after them', async () => {
    const fresh = await httpsHarness();
    try {
      const cms = fresh.client.resource('v1', 'configmaps');
      const { metadata } = await cms.create('default', configMap('old'));
      await cms.create('default', configMap('newer'));
      await fresh.store.compact(fresh.store.currentRevision());
      const events = [];
      for await (const ev of cms.watch('default', { resourceVersion: metadata.resourceVersion, signal: new AbortController().signal })) events.push(ev);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    } finally {
      await fresh.close();
    }
  });

  it('ends a watch quietly when the server goes away', async () => {
    const fresh = await httpsHarness();
    const cms = fresh.client.resource('v1', 'configmaps');
    const first = gate();
    const seen: string[] = [];
    const done = (async () => {
      for await (const ev of cms.watch('default', { signal: new AbortController().signal })) {
        seen.push(ev.type);
        first.open();
      }
    })();
    await cms.create('default', configMap('x'));
    await first.promise;
    await fresh.close();
    await expect(done).resolves.toBeUndefined();
    expect(seen).toEqual(['ADDED']);
  });
});
