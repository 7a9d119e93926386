import { afterEach, describe, expect, it } from 'vitest';
import { createApiHandler, type RegistryHandler } from '../../../pkg/api/registry/index.ts';
import { resources, findResource } from '../../../pkg/api/resources/index.ts';
import { serviceAllocator, serviceRanges } from '../../../pkg/api/services/index.ts';
import { openStore, type Store } from '../../../pkg/store/index.ts';

const admin = { name: 'admin', groups: ['system:masters'] };
const svcDef = findResource('', 'v1', 'services')!;
const nsDef = findResource('', 'v1', 'namespaces')!;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A registry over `store` with the service allocator (a small /28 and 10 node ports to reach "full"). */
async function registry(store?: Store, cidr = '10.96.0.0/28', ports = '30000-30009') {
  const s = store ?? (await openStore('memory:', { compactIntervalMs: 0 }));
  if (!store) closers.push(() => s.close());
  const api: RegistryHandler = createApiHandler({ store: s, resources, allocator: serviceAllocator(serviceRanges(cidr, ports)) });
  closers.push(() => api.close());
  if (!store) await api.create({ verb: 'create', def: nsDef, body: { metadata: { name: 'default' } }, options: {} }, admin);
  const create = async (name: string, spec: Record<string, unknown>) =>
    (await api.create({ verb: 'create', def: svcDef, namespace: 'default', body: { metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } }, options: {} }, admin)).object as any;
  const patch = async (name: string, p: unknown) => (await api.patch({ verb: 'patch', def: svcDef, namespace: 'default', name, patch: p, patchType: 'merge', options: {} }, admin)).object as any;
  const remove = (name: string) => api.delete({ verb: 'delete', def: svcDef, namespace: 'default', name, options: {} }, admin);
  return { store: s, api, create, patch, remove };
}

async function rejection(p: Promise<unknown>): Promise<{ code: number; causes: string[] }> {
  try {
    await p;
  } catch (err: any) {
    return { code: err.code, causes: (err.status?.details?.causes ?? []).map((c: any) => `${c.field}: ${c.message}`) };
  }
  throw new Error('expected a rejection');
}

describe('service cluster IP allocation', () => {
  it('gives each service a distinct free address of the range, never .0, .1 or the broadcast', async () => {
    const r = await registry();
    const ips = new Set<string>();
    // 16 addresses: network, .1 (kept for `kubernetes`), broadcast → 13 to hand out.
    for (let i = 0; i < 13; i++) ips.add((await r.create(`s${i}`, {})).spec.clusterIP);
    expect(ips.size).toBe(13);
    for (const ip of ips) expect(ip).toMatch(/^10\.96\.0\.([2-9]|1[0-4])$/);
    const full = await rejection(r.create('one-too-many', {}));
    expect(full).toEqual({ code: 422, causes: ['spec.clusterIPs: Invalid value: []string{}: failed to allocate a serviceIP: range is full'] });
  });

  it('honours a requested address and refuses one taken or out of range, worded as upstream', async () => {
    const r = await registry();
    const a = await r.create('a', { clusterIP: '10.96.0.5' });
    expect(a.spec).toMatchObject({ clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'] });
    expect(await rejection(r.create('b', { clusterIP: '10.96.0.5' }))).toEqual({
      code: 422, causes: ['spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated'],
    });
    expect(await rejection(r.create('c', { clusterIP: '10.0.0.9' }))).toEqual({
      code: 422, causes: ['spec.clusterIPs: Invalid value: []string{"10.0.0.9"}: failed to allocate IP 10.0.0.9: the provided IP (10.0.0.9) is not in the valid range. The range of valid IPs is 10.96.0.0/28'],
    });
    expect((await rejection(r.create('d', { clusterIP: 'banana' }))).causes).toEqual(['spec.clusterIPs[0]: Invalid value: "banana": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
    // Headless and ExternalName services take nothing.
    expect((await r.create('h', { clusterIP: 'None' })).spec.clusterIP).toBe('None');
    expect((await r.create('x', { type: 'ExternalName', externalName: 'example.com' })).spec.clusterIP).toBeUndefined();
  });

  it('frees an address on delete and on a change to ExternalName', async () => {
    const r = await registry();
    await r.create('a', { clusterIP: '10.96.0.7' });
    await r.remove('a');
    expect((await r.create('b', { clusterIP: '10.96.0.7' })).spec.clusterIP).toBe('10.96.0.7');
    const moved = await r.patch('b', { spec: { type: 'ExternalName', externalName: 'example.com' } });
    expect(moved.spec.clusterIP).toBeUndefined();
    expect((await r.create('c', { clusterIP: '10.96.0.7' })).spec.clusterIP).toBe('10.96.0.7');
  });

  it('keeps its address across updates and a restart, and a new server never hands it out again', async () => {
    const first = await registry();
    const kept = (await first.create('a', {})).spec.clusterIP;
    expect((await first.patch('a', { metadata: { labels: { x: 'y' } } })).spec.clusterIP).toBe(kept);
    await first.api.close();
    const second = await registry(first.store);
    for (let i = 0; i < 12; i++) expect((await second.create(`n${i}`, {})).spec.clusterIP).not.toBe(kept);
    expect(await rejection(second.create('n12', { clusterIP: kept }))).toMatchObject({ code: 422 });
  });

  it('lets concurrent creates never share an address', async () => {
    const r = await registry();
    const made = await Promise.all(Array.from({ length: 13 }, (_, i) => r.create(`c${i}`, {})));
    expect(new Set(made.map((s) => s.spec.clusterIP)).size).toBe(13);
  });
});

describe('service node port allocation', () => {
  it('gives NodePort and LoadBalancer ports from the range, honours requests, refuses conflicts and bad ports', async () => {
    const r = await registry();
    const np = await r.create('np', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81, nodePort: 30003 }] });
    expect(np.spec.ports[1].nodePort).toBe(30003);
    expect(np.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(np.spec.ports[0].nodePort).toBeLessThanOrEqual(30009);
    expect(await rejection(r.create('dup', { type: 'NodePort', ports: [{ port: 80, nodePort: 30003 }] }))).toEqual({
      code: 422, causes: ['spec.ports[0].nodePort: Invalid value: 30003: provided port is already allocated'],
    });
    expect(await rejection(r.create('far', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }))).toEqual({
      code: 422, causes: ['spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-30009'],
    });
    // One number for the TCP and UDP entries of one port is allowed, twice for one protocol is not.
    const free = [30004, 30005].find((n) => n !== np.spec.ports[0].nodePort)!;
    const both = await r.create('dns', { type: 'NodePort', ports: [{ name: 't', port: 53, protocol: 'TCP', nodePort: free }, { name: 'u', port: 53, protocol: 'UDP', nodePort: free }] });
    expect(both.spec.ports.map((p: any) => p.nodePort)).toEqual([free, free]);
    expect((await rejection(r.create('twice', { type: 'NodePort', ports: [{ name: 'a', port: 1, nodePort: 30000 }, { name: 'b', port: 2, nodePort: 30000 }] }))).causes)
      .toContain('spec.ports[1].nodePort: Invalid value: 30000: provided port is already allocated');
    const lb = await r.create('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(lb.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.spec.healthCheckNodePort).not.toBe(lb.spec.ports[0].nodePort);
    const noPorts = await r.create('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false });
    expect(noPorts.spec.ports[0].nodePort).toBeUndefined();
  });

  it('releases node ports on delete and when the type goes back to ClusterIP', async () => {
    const r = await registry();
    await r.create('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] });
    const back = await r.patch('a', { spec: { type: 'ClusterIP' } });
    expect(back.spec.ports[0].nodePort).toBeUndefined();
    await r.create('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] });
    await r.remove('b');
    expect((await r.create('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] })).spec.ports[0].nodePort).toBe(30001);
    // ClusterIP → NodePort allocates; an update keeps the port without the client repeating it.
    const up = await r.patch('a', { spec: { type: 'NodePort' } });
    const port = up.spec.ports[0].nodePort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect((await r.patch('a', { spec: { ports: [{ port: 80 }] } })).spec.ports[0].nodePort).toBe(port);
  });

  it('runs out cleanly when the range is full', async () => {
    const r = await registry();
    for (let i = 0; i < 10; i++) await r.create(`p${i}`, { type: 'NodePort' });
    expect(await rejection(r.create('last', { type: 'NodePort' }))).toEqual({ code: 422, causes: ['spec.ports[0].nodePort: Invalid value: 0: failed to allocate a nodePort: range is full'] });
  });
});

describe('service ranges', () => {
  it('refuses unusable flags with a message naming the flag', () => {
    expect(() => serviceRanges('10.43.0.0/33')).toThrow(/--service-cidr/);
    expect(() => serviceRanges('10.43.0.1/16')).toThrow(/host bits/);
    expect(() => serviceRanges('300.1.0.0/16')).toThrow(/--service-cidr/);
    expect(() => serviceRanges(undefined, '32767-30000')).toThrow(/--service-node-port-range/);
    expect(serviceRanges()).toMatchObject({ cidr: '10.43.0.0/16', portFirst: 30000, portLast: 32767 });
  });
});

