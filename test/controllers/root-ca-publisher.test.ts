import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import { controlLoops, rootCaPublisher } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  loops = controlLoops(() => client, [(c, inf, l) => rootCaPublisher(c, inf, () => ca, l)], silentLogger);
  await loops.start(new AbortController().signal);
  return client;
}

async function until<T>(what: string, get: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out`);
}

describe('rootCaPublisher', () => {
  it('publishes the cluster CA in every namespace and puts it back when deleted or changed', async () => {
    const c = await cluster();
    await c.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'team' } });
    const cms = c.resource('v1', 'configmaps');
    const read = () => cms.get('team', 'kube-root-ca.crt').catch(() => undefined);
    const first = await until('published', read);
    expect(first.data).toEqual({ 'ca.crt': ca });
    expect(first.metadata.annotations?.['kubernetes.io/description']).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/);

    await cms.update('team', { ...first, data: { 'ca.crt': 'tampered', extra: 'x' } });
    await until('repaired', async () => {
      const data = (await read())?.data as Record<string, string> | undefined;
      return data?.['ca.crt'] === ca && !('extra' in data) ? true : undefined;
    });
    await cms.delete('team', 'kube-root-ca.crt');
    const again = await until('recreated', async () => {
      const cm = await read();
      return cm && cm.metadata.uid !== first.metadata.uid ? cm : undefined;
    });
    expect(again.data).toEqual({ 'ca.crt': ca });
  });
});
