import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsServer, type DnsSource } from '../../pkg/agent/dns/index.ts';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import type { core } from '../../pkg/api/types/index.ts';
import { silentLogger } from '../../pkg/util/index.ts';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

// Cluster DNS as pods see it: a skiff server with its agent on the real Docker engine, names
// looked up from inside pods with busybox's nslookup and wget (glibc's resolver, so search
// domains and ndots apply). The host's resolver is a DNS server of this test on a loopback
// address, handed to skiff through --resolv-conf, so no query ever leaves the machine.
const node = `e2e-dns-${randomBytes(3).toString('hex')}`;
const b = randomBytes(3);
const cidr = `10.${100 + (b[0]! % 100)}.0.0/16`;
const upstreamIp = `127.${1 + (b[1]! % 250)}.${b[2]!}.53`;
const rt = new DockerRuntime();
const image = 'skiff-test/busybox:latest';
let s: TestServer;
let upstream: DnsServer | undefined;
const tmp = mkdtempSync(join(tmpdir(), 'skiff-e2e-dns-'));
const resolvConf = join(tmp, 'resolv.conf');

// The "outside world": web.default.svc.upstream.test → 192.0.2.80 (a documentation address, only ever a DNS answer).
const outside: core.Service = { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '192.0.2.80' } };
const outsideSource: DnsSource = { service: (ns, n) => (ns === 'default' && n === 'web' ? outside : undefined), services: () => [outside], slicesOf: () => [], slices: () => [] };

beforeAll(async () => {
  if (!apiServed) return;
  upstream = new DnsServer({ address: upstreamIp, port: 53, zone: 'upstream.test', source: outsideSource, upstreams: [], log: silentLogger });
  await upstream.listen();
  writeFileSync(resolvConf, `nameserver ${upstreamIp}\nsearch upstream.test\noptions timeout:1\n`);
  s = await startServer(['--node-name', node, '--cluster-cidr', cidr, '--resolv-conf', resolvConf], { agent: true });
});
afterAll(async () => {
  await s?.stop();
  await upstream?.close();
  await removeNodeLeftovers(node);
  rmSync(tmp, { recursive: true, force: true });
});

const gateway = () => `${cidr.split('.').slice(0, 2).join('.')}.0.1`;
const httpd = `mkdir -p /www; echo $(hostname) > /www/index.html; httpd -f -p 8080 -h /www`;
const podYaml = (name: string, labels: string, spec: string, command: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {${labels}}}
spec:
  terminationGracePeriodSeconds: 1
${spec}  containers:
  - {name: c, image: ${image}, imagePullPolicy: IfNotPresent, command: [sh, -c, ${JSON.stringify(command)}]}
`;

async function until<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last: ${JSON.stringify(v)}\n${s.logs().split('\n').slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const podJson = (name: string) => JSON.parse(s.kubectl(['get', 'pod', name, '-o', 'json']).stdout || '{}');
const running = (name: string) => until(`${name} running`, () => podJson(name), (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined)
  .then((p) => p.status.containerStatuses[0].containerID.replace('docker://', '') as string);
const exec = async (id: string, cmd: string) => rt.exec(id, ['sh', '-c', cmd], { timeoutMs: 15_000 });
/** busybox nslookup's answer lines (`Address: …`, `name = …`, `service = …`) after the server's own. */
const lookup = async (id: string, args: string) => {
  const r = await exec(id, `nslookup ${args}`);
  return { code: r.exitCode, out: r.stdout + r.stderr, answers: r.stdout.split('\n').slice(2).filter((l) => /Address|name =|service =/.test(l)).map((l) => l.trim()) };
};

describe.skipIf(!apiServed)(`cluster DNS from pods${untilServed}`, () => {
  let client: string;

  it('gives ClusterFirst pods the node\'s DNS, cluster search domains before the host\'s, and ndots:5', async () => {
    const yaml = [
      `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.43.7.10, selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}\n`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None, selector: {app: db}, ports: [{name: http, port: 8080}]}\n`,
      podYaml('db-0', 'app: db', '  hostname: db-0\n  subdomain: db\n', httpd),
      podYaml('db-1', 'app: db', '  hostname: db-1\n  subdomain: db\n', httpd),
      podYaml('client', 'role: client', '', 'sleep 3600'),
    ].join('---\n');
    const r = s.kubectl(['apply', '-f', '-'], { input: yaml });
    expect(r.stderr).toBe('');
    client = await running('client');
    expect((await exec(client, 'cat /etc/resolv.conf')).stdout).toBe(
      `nameserver ${gateway()}\nsearch default.svc.cluster.local svc.cluster.local cluster.local upstream.test\noptions ndots:5\n`);
  });

  it('resolves a service\'s full name and its short name to the cluster IP; unknown names are NXDOMAIN', async () => {
    expect((await lookup(client, 'web.default.svc.cluster.local')).answers).toEqual(['Address: 10.43.7.10']);
    // busybox's nslookup tries the search domains for a name without dots; the first is the namespace's.
    const short = await lookup(client, 'web');
    expect(short.out).toMatch(/Name:\s+web\.default\.svc\.cluster\.local\nAddress: 10\.43\.7\.10/);
    const nx = await lookup(client, 'nope.default.svc.cluster.local');
    expect(nx.code).not.toBe(0);
    expect(nx.out).toContain("can't find nope.default.svc.cluster.local: NXDOMAIN");
  });

  it('resolves a headless service to its ready pods and pods by hostname.subdomain, through glibc\'s search list', async () => {
    const ips = await Promise.all(['db-0', 'db-1'].map(async (n) => {
      await running(n);
      return podJson(n).status.podIP as string;
    }));
    const all = await until('both db pods behind db', () => lookup(client, 'db.default.svc.cluster.local'), (r) => r.answers.length === 2);
    expect(all.answers.sort()).toEqual(ips.map((ip) => `Address: ${ip}`).sort());
    expect((await lookup(client, 'db-1.db.default.svc.cluster.local')).answers).toEqual([`Address: ${ips[1]}`]);
    // wget resolves with the C library: `db-0.db` has fewer than 5 dots, so the search list applies.
    await until('db-0 serves', () => exec(client, 'wget -qO- http://db-0.db:8080/'), (x) => x.exitCode === 0);
    expect((await exec(client, 'wget -qO- http://db-0.db:8080/')).stdout).toBe('db-0\n');
    expect((await exec(client, 'wget -qO- http://db-1.db.default:8080/')).stdout).toBe('db-1\n');
  });

  it('serves SRV for named ports and PTR for cluster IPs and pod addresses', async () => {
    expect((await lookup(client, '-type=srv _http._tcp.web.default.svc.cluster.local')).answers).toEqual(['_http._tcp.web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local']);
    const srv = await lookup(client, '-type=srv _http._tcp.db.default.svc.cluster.local');
    expect(srv.answers.map((l) => l.split(' ').at(-1)).sort()).toEqual(['db-0.db.default.svc.cluster.local', 'db-1.db.default.svc.cluster.local']);
    expect((await lookup(client, '10.43.7.10')).answers).toEqual(['10.7.43.10.in-addr.arpa\tname = web.default.svc.cluster.local']);
    const ip = podJson('db-0').status.podIP as string;
    expect((await lookup(client, ip)).answers).toEqual([`${ip.split('.').reverse().join('.')}.in-addr.arpa\tname = db-0.db.default.svc.cluster.local`]);
  });

  it('resolves kubernetes.default', async () => {
    if (s.kubectl(['get', 'service', 'kubernetes']).code !== 0) {
      // Until the API server publishes its own service, stand one in at the address upstream gives it.
      expect(s.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata: {name: kubernetes}\nspec: {clusterIP: 10.43.0.1, ports: [{name: https, port: 443}]}\n' }).stderr).toBe('');
    }
    const ip = s.kubectl(['get', 'service', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']).stdout;
    const r = await until('kubernetes.default', () => lookup(client, 'kubernetes.default.svc.cluster.local'), (x) => x.answers.length > 0);
    expect(r.answers).toEqual([`Address: ${ip}`]);
  });

  it('forwards other names to the host\'s resolver', async () => {
    expect((await lookup(client, 'web.default.svc.upstream.test')).answers).toEqual(['Address: 192.0.2.80']);
    expect((await lookup(client, 'nope.default.svc.upstream.test')).out).toContain('NXDOMAIN');
  });

  it('writes resolv.conf for dnsPolicy None with dnsConfig, and Default (a loopback host resolver replaced by the node\'s)', async () => {
    const yaml = [
      podYaml('custom', 'role: other', '  dnsPolicy: None\n  dnsConfig: {nameservers: [192.0.2.1], searches: [a.example], options: [{name: ndots, value: "2"}, {name: edns0}]}\n', 'sleep 3600'),
      podYaml('plain', 'role: other', '  dnsPolicy: Default\n', 'sleep 3600'),
    ].join('---\n');
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    expect((await exec(await running('custom'), 'cat /etc/resolv.conf')).stdout).toBe('nameserver 192.0.2.1\nsearch a.example\noptions ndots:2 edns0\n');
    const plain = await running('plain');
    expect((await exec(plain, 'cat /etc/resolv.conf')).stdout).toBe(`nameserver ${gateway()}\nsearch upstream.test\noptions timeout:1\n`);
    // Through the node's DNS it still sees cluster names (answered, not forwarded) and outside ones.
    expect((await lookup(plain, 'web.default.svc.upstream.test')).answers).toEqual(['Address: 192.0.2.80']);
  });
});
