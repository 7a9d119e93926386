import { afterEach, describe, expect, it } from 'vitest';
import { inProcessClient, type Client } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { KObject } from '../../pkg/api/types/index.ts';
import { controlLoops, resourceQuotaController } from '../../pkg/controllers/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger, type Component } from '../../pkg/util/index.ts';

let loops: Component | undefined;
afterEach(async () => loops?.stop?.());

async function cluster(): Promise<Client> {
  const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
  loops = controlLoops(() => client, [(c, inf, l) => resourceQuotaController(c, inf, l)], silentLogger);
  await loops.start(new AbortController().signal);
  await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
  return client;
}
async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: timed out; last ${JSON.stringify(await fn().catch((e: Error) => e.message)).slice(0, 800)}`);
}

type Status = { hard?: Record<string, string>; used?: Record<string, string> };
const status = async (c: Client) => ((await c.resource('v1', 'resourcequotas').get('default', 'q')) as KObject & { status?: Status }).status ?? {};
const pod = (name: string, cpu: string, memory: string) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu, memory }, limits: { cpu, memory } } }] } } as KObject);

describe('resourceQuotaController', () => {
  it('computes status.used from the namespace\'s objects and follows deletes and finished pods', async () => {
    const c = await cluster();
    await c.resource('v1', 'pods').create('default', pod('a', '250m', '64Mi'));
    await c.resource('v1', 'pods').create('default', pod('b', '500m', '128Mi'));
    await c.resource('v1', 'configmaps').create('default', { metadata: { name: 'cm' } } as KObject);
    await c.resource('v1', 'secrets').create('default', { metadata: { name: 's' } } as KObject);
    await c.resource('v1', 'services').create('default', { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } } as KObject);
    await c.resource('apps/v1', 'deployments').create('default', { metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } } as KObject);
    const hard = {
      pods: '10', 'requests.cpu': '2', 'limits.memory': '1Gi', 'count/configmaps': '5', secrets: '5', services: '3', 'services.nodeports': '3',
      'persistentvolumeclaims': '2', 'requests.storage': '10Gi', 'count/deployments.apps': '2',
    };
    await c.resource('v1', 'resourcequotas').create('default', { metadata: { name: 'q' }, spec: { hard } } as KObject);
    const s = await until('computed', () => status(c), (x) => x.used !== undefined);
    expect(s.hard).toEqual(hard);
    expect(s.used).toEqual({
      pods: '2', 'requests.cpu': '750m', 'limits.memory': '192Mi', 'count/configmaps': '1', secrets: '1', services: '1', 'services.nodeports': '1',
      persistentvolumeclaims: '0', 'requests.storage': '0', 'count/deployments.apps': '1',
    });

    // A finished pod stops using compute resources; a deleted one stops counting.
    await c.resource('v1', 'pods').patch('default', 'a', 'merge', { status: { phase: 'Succeeded' } }, { subresource: 'status' });
    await until('finished', () => status(c), (x) => x.used?.pods === '1');
    expect((await status(c)).used).toMatchObject({ 'requests.cpu': '500m', 'limits.memory': '128Mi' });
    await c.resource('v1', 'configmaps').delete('default', 'cm');
    await until('deleted', () => status(c), (x) => x.used?.['count/configmaps'] === '0');
    await c.resource('apps/v1', 'deployments').delete('default', 'd');
    await until('counted kind deleted', () => status(c), (x) => x.used?.['count/deployments.apps'] === '0');

    // New limits are mirrored and counted at once.
    await c.resource('v1', 'resourcequotas').patch('default', 'q', 'merge', { spec: { hard: { ...hard, 'count/secrets': '4' } } });
    const s2 = await until('new limit', () => status(c), (x) => x.hard?.['count/secrets'] === '4');
    expect(s2.used?.['count/secrets']).toBe('1');
  });
});
