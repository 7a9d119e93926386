import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsFormatError, DnsServer, parseQuery, type DnsSource } from '../../../pkg/agent/dns/index.ts';
import type { core, discovery } from '../../../pkg/api/types/index.ts';
import { silentLogger } from '../../../pkg/util/index.ts';

// Real sockets on loopback; node's resolver (c-ares) is the client, an independent DNS codec.
const many = Array.from({ length: 120 }, (_, i) => `10.42.${Math.floor(i / 250)}.${(i % 250) + 2}`);
function source(zone: string): DnsSource {
  const services: core.Service[] = [
    { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.43.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } },
    { metadata: { namespace: 'default', name: 'big' }, spec: { clusterIP: 'None' } },
    { metadata: { namespace: 'default', name: 'ext' }, spec: { type: 'ExternalName', externalName: `web.default.svc.${zone}` } },
  ];
  const slices: discovery.EndpointSlice[] = [{
    metadata: { namespace: 'default', name: 'big-1', labels: { 'kubernetes.io/service-name': 'big' } }, addressType: 'IPv4',
    endpoints: many.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  }];
  return {
    service: (ns, n) => services.find((s) => s.metadata?.namespace === ns && s.metadata?.name === n),
    services: () => services,
    slicesOf: (ns, n) => slices.filter((s) => s.metadata?.namespace === ns && s.metadata?.labels?.['kubernetes.io/service-name'] === n),
    slices: () => slices,
  };
}

/** A DnsServer on a free loopback port (UDP and TCP both free). */
async function serve(zone: string, upstreams: { address: string; port: number }[]): Promise<{ server: DnsServer; port: number }> {
  for (;;) {
    const port = 20_000 + (randomBytes(2).readUInt16BE(0) % 40_000);
    const server = new DnsServer({ address: '127.0.0.1', port, zone, source: source(zone), upstreams, log: silentLogger, forwardTimeoutMs: 500 });
    try {
      await server.listen();
      return { server, port };
    } catch {
      // taken: another port
    }
  }
}

let upstream: { server: DnsServer; port: number };
let node: { server: DnsServer; port: number };
let lonely: { server: DnsServer; port: number };
const resolver = (port: number) => {
  const r = new Resolver({ timeout: 1_000, tries: 2 });
  r.setServers([`127.0.0.1:${port}`]);
  return r;
};

beforeAll(async () => {
  upstream = await serve('upstream.test', []);
  node = await serve('cluster.local', [{ address: '127.0.0.1', port: 1 }, { address: '127.0.0.1', port: upstream.port }]);
  lonely = await serve('cluster.local', []);
});
afterAll(async () => {
  for (const s of [upstream, node, lonely]) await s?.server.close();
});

describe('DnsServer', () => {
  it('answers cluster names over UDP: A, SRV, CNAME, PTR', async () => {
    const r = resolver(node.port);
    expect(await r.resolve4('web.default.svc.cluster.local')).toEqual(['10.43.0.10']);
    expect(await r.resolveSrv('_http._tcp.web.default.svc.cluster.local')).toMatchObject([{ name: 'web.default.svc.cluster.local', port: 80, priority: 0, weight: 100 }]);
    expect(await r.resolveCname('ext.default.svc.cluster.local')).toEqual(['web.default.svc.cluster.local']);
    expect(await r.reverse('10.43.0.10')).toEqual(['web.default.svc.cluster.local']);
  });

  it('says NXDOMAIN and NODATA as such', async () => {
    const r = resolver(node.port);
    await expect(r.resolve4('nope.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(r.resolve6('web.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('truncates a reply too long for UDP; the client gets all of it over TCP', async () => {
    const got = await resolver(node.port).resolve4('big.default.svc.cluster.local');
    expect(got.sort()).toEqual([...many].sort());
  });

  it('forwards other names to the first upstream that answers, and a failure as SERVFAIL', async () => {
    const r = resolver(node.port);
    expect(await r.resolve4('web.default.svc.upstream.test')).toEqual(['10.43.0.10']);
    await expect(r.resolve4('nope.default.svc.upstream.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    // Over TCP as well (a reply too long for UDP from the upstream).
    expect((await r.resolve4('big.default.svc.upstream.test')).length).toBe(many.length);
    await expect(resolver(lonely.port).resolve4('example.org')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });

  it('answers garbage with FORMERR when it has an id, never dies, and goes on answering', async () => {
    const sock = createSocket('udp4');
    const replies: Buffer[] = [];
    sock.on('message', (m) => replies.push(m));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const send = (b: Buffer) => new Promise<void>((r) => sock.send(b, node.port, '127.0.0.1', () => r()));
    await send(Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x3f, 0x61])); // label runs past the end
    await send(Buffer.from([1]));
    for (let i = 0; i < 200; i++) await send(randomBytes(1 + (i % 60)));
    await new Promise((r) => setTimeout(r, 300));
    sock.close();
    const formerr = replies.find((m) => m.readUInt16BE(0) === 0x1234);
    expect(formerr && formerr.readUInt16BE(2) & 0xf).toBe(1);
    expect(await resolver(node.port).resolve4('web.default.svc.cluster.local')).toEqual(['10.43.0.10']);
  });
});

describe('parseQuery', () => {
  it('reads only DnsFormatError out of random bytes', () => {
    for (let i = 0; i < 5_000; i++) {
      const b = randomBytes(i % 80);
      try {
        parseQuery(b);
      } catch (err) {
        expect(err).toBeInstanceOf(DnsFormatError);
      }
    }
  });

  it('follows compression pointers and refuses loops', () => {
    const loop = Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(() => parseQuery(loop)).toThrow(DnsFormatError);
    const q = Buffer.from([0, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 3, 0x77, 0x65, 0x62, 0, 0, 1, 0, 1, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseQuery(q)).toMatchObject({ id: 2, recursionDesired: true, question: { name: 'web', type: 1, class: 1 }, edns: true, udpSize: 4096 });
  });
});
