import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceProxy, Iptables } from '../../../pkg/agent/proxy/index.ts';
import { createInformerFactory, inProcessClient, type Client } from '../../../pkg/api/client/index.ts';
import { createApiHandler } from '../../../pkg/api/registry/index.ts';
import { resources } from '../../../pkg/api/resources/index.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { openStore } from '../../../pkg/store/index.ts';
import { silentLogger } from '../../../pkg/util/index.ts';

// The proxy component end to end without Docker: objects written through the API (memory store)
// reach its informers, and its rules are applied by the real iptables in a network namespace of
// this test's own. Needs root and iproute2; skipped otherwise.
const ns = `skiffpx-${randomBytes(3).toString('hex')}`;
const usable = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'add', ns]).status === 0;
const tag = randomBytes(4).toString('hex');
const bridge = `skiff${tag}`;
const sh = (cmd: string) => spawnSync('ip', ['netns', 'exec', ns, 'sh', '-c', cmd], { encoding: 'utf8' }).stdout;
afterAll(() => {
  if (usable) spawnSync('ip', ['netns', 'del', ns]);
});

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what}: timed out\n${sh('iptables-save -t nat')}`);
}

describe.skipIf(!usable)('serviceProxy (iptables in a network namespace)', () => {
  it('programs services and their slices as they change, removes deleted ones, and repairs flushed chains', async () => {
    sh(`ip link add ${bridge} type bridge`);
    const client: Client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
    await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
    const informers = createInformerFactory(client, { log: silentLogger });
    const ac = new AbortController();
    const proxy = serviceProxy({ informers, nodeName: 'n1', bridge, podCIDR: '10.42.0.0/24', log: silentLogger, mode: 'iptables',
      iptables: new Iptables(['ip', 'netns', 'exec', ns]), debounceMs: 10, resyncMs: 100 });
    informers.start();
    try {
      await proxy.start(ac.signal);
      expect(proxy.mode).toBe('iptables');
      const nat = () => sh('iptables-save -t nat');
      await until('empty chains in place', () => nat().includes(`-A PREROUTING -i ${bridge}`));

      await client.resource('v1', 'services').create('default', { metadata: { name: 'web' }, spec: { clusterIP: '10.43.0.50', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } as KObject);
      await until('REJECT without endpoints', () => sh('iptables-save -t filter').includes('default/web:http has no endpoints'));
      await client.resource('discovery.k8s.io/v1', 'endpointslices').create('default', {
        metadata: { name: 'web-x', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true }, nodeName: 'n1' }, { addresses: ['10.42.0.6'], conditions: { ready: true } }],
      } as KObject);
      await until('both backends', () => nat().includes('--to-destination 10.42.0.5:8080') && nat().includes('--to-destination 10.42.0.6:8080'));
      expect(sh('iptables-save -t filter')).not.toContain('has no endpoints');

      sh(`iptables -w -t nat -F SKIFF-${tag}-SERVICES`);
      await until('repaired', () => nat().includes('default/web:http cluster IP'));

      await client.resource('v1', 'services').delete('default', 'web');
      await until('rules of the deleted service gone', () => !nat().includes('default/web') && !nat().includes(`SKIFF-${tag}-SVC-`));
    } finally {
      ac.abort();
      await proxy.stop();
      await informers.stop();
    }
  });
});
