import { createConnection, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserspaceProxy, type ServicePortPlan } from '../../../pkg/agent/proxy/index.ts';
import { silentLogger } from '../../../pkg/util/index.ts';
import { freePort } from '../../e2e/harness.ts';

// Real TCP through the relay: backends are servers of this test on loopback addresses that answer
// with their name; the service's "cluster IP" is another loopback address (already local, so no
// address is added to the host).
const backends: { name: string; server: Server; port: number }[] = [];
const proxy = new UserspaceProxy(silentLogger);

async function ask(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host, port });
    let out = '';
    sock.on('data', (d) => (out += d));
    sock.on('end', () => resolve(out));
    sock.on('error', reject);
  });
}

const plan = (port: number, over: Partial<ServicePortPlan> = {}): ServicePortPlan => ({
  name: 'default/web:80', protocol: 'tcp', clusterIP: '127.0.0.1', port, nodePort: 0, externalIPs: [], localOnly: false, affinitySeconds: 0,
  backends: backends.map((b) => ({ ip: '127.0.0.1', port: b.port, local: true })), ...over,
});

beforeAll(async () => {
  for (const name of ['a', 'b', 'c']) {
    const server = createServer((s) => s.end(name));
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    backends.push({ name, server, port });
  }
});
afterAll(async () => {
  await proxy.close();
  for (const b of backends) b.server.close();
});

describe('UserspaceProxy', () => {
  it('relays connections to the service port across all backends', async () => {
    const port = await freePort();
    await proxy.sync([plan(port)]);
    expect(proxy.listening()).toEqual([`127.0.0.1:${port}`]);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add(await ask('127.0.0.1', port));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps a client on one backend under ClientIP affinity, and skips a backend that refuses', async () => {
    const port = await freePort();
    const dead = await freePort();
    await proxy.sync([plan(port, { affinitySeconds: 60 })]);
    const first = await ask('127.0.0.1', port);
    for (let i = 0; i < 10; i++) expect(await ask('127.0.0.1', port)).toBe(first);

    await proxy.sync([plan(port, { backends: [{ ip: '127.0.0.1', port: dead, local: true }, { ip: '127.0.0.1', port: backends[1]!.port, local: true }] })]);
    for (let i = 0; i < 5; i++) expect(await ask('127.0.0.1', port)).toBe('b');
  });

  it('opens node ports on every address and closes the listeners of removed services', async () => {
    const port = await freePort();
    const nodePort = await freePort();
    await proxy.sync([plan(port, { nodePort })]);
    expect(proxy.listening()).toEqual([`0.0.0.0:${nodePort}`, `127.0.0.1:${port}`].sort());
    expect(['a', 'b', 'c']).toContain(await ask('127.0.0.1', nodePort));
    await proxy.sync([]);
    expect(proxy.listening()).toEqual([]);
    await expect(ask('127.0.0.1', port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
