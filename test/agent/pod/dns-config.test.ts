import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatResolvConf, hostDns, parseResolvConf } from '../../../pkg/agent/dns/index.ts';
import { podResolvConf, type PodDnsContext } from '../../../pkg/agent/pod/dns-config.ts';
import type { core } from '../../../pkg/api/types/index.ts';

const ctx: PodDnsContext = { clusterDomain: 'cluster.local', nameserver: '10.42.0.1', host: { nameservers: ['192.0.2.53', '127.0.0.53'], searches: ['corp.example'], options: ['edns0', 'timeout:2'] } };
const pod = (spec: Partial<core.PodSpec>, ns = 'team'): core.Pod => ({ metadata: { name: 'p', namespace: ns }, spec: { containers: [], ...spec } });
const conf = (spec: Partial<core.PodSpec>, c = ctx) => podResolvConf(pod(spec), c).conf;

describe('podResolvConf', () => {
  it('ClusterFirst (the default): the node DNS, cluster searches before the host\'s, ndots:5', () => {
    expect(conf({})).toEqual({ nameservers: ['10.42.0.1'], searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'], options: ['ndots:5'] });
    expect(formatResolvConf(conf({ dnsPolicy: 'ClusterFirst' }))).toBe('nameserver 10.42.0.1\nsearch team.svc.cluster.local svc.cluster.local cluster.local corp.example\noptions ndots:5\n');
  });

  it('hostNetwork pods get the host\'s unless ClusterFirstWithHostNet', () => {
    expect(conf({ hostNetwork: true })).toEqual({ nameservers: ['192.0.2.53', '127.0.0.53'], searches: ['corp.example'], options: ['edns0', 'timeout:2'] });
    expect(conf({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }).nameservers).toEqual(['10.42.0.1']);
    expect(conf({ dnsPolicy: 'ClusterFirstWithHostNet' }).nameservers).toEqual(['10.42.0.1']);
  });

  it('Default: the host\'s, without loopback servers a pod cannot reach; the node DNS when none is left', () => {
    expect(conf({ dnsPolicy: 'Default' })).toEqual({ nameservers: ['192.0.2.53'], searches: ['corp.example'], options: ['edns0', 'timeout:2'] });
    const stubOnly = { ...ctx, host: { nameservers: ['127.0.0.53'], searches: [], options: [] } };
    expect(conf({ dnsPolicy: 'Default' }, stubOnly).nameservers).toEqual(['10.42.0.1']);
  });

  it('None takes only dnsConfig; dnsConfig merges into the others as upstream', () => {
    expect(conf({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] } }))
      .toEqual({ nameservers: ['1.2.3.4'], searches: ['a.example'], options: ['ndots:2', 'rotate'] });
    expect(conf({ dnsConfig: { nameservers: ['10.42.0.1', '1.2.3.4'], searches: ['cluster.local', 'b.example'], options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }] } }))
      .toEqual({ nameservers: ['10.42.0.1', '1.2.3.4'], searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'b.example'], options: ['ndots:1', 'edns0'] });
  });

  it('cuts to the kubelet\'s limits and says so', () => {
    const r = podResolvConf(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'], searches: Array.from({ length: 40 }, (_, i) => `s${i}.example`) } }), ctx);
    expect(r.conf.nameservers).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3']);
    expect(r.conf.searches).toHaveLength(32);
    expect(r.warnings).toEqual([
      'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3',
      expect.stringMatching(/^Search Line limits were exceeded, some search paths have been omitted, the applied search line is: s0.example s1.example/),
    ]);
  });

  it('falls back to Default with a warning when the node has no cluster DNS', () => {
    const r = podResolvConf(pod({}), { ...ctx, nameserver: undefined });
    expect(r.conf.nameservers).toEqual(['192.0.2.53']);
    expect(r.warnings[0]).toContain('Falling back to "Default" policy');
  });
});

describe('hostDns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-resolv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads resolv.conf as glibc: comments, the last search/domain line, options accumulated', () => {
    expect(parseResolvConf('# c\nnameserver 192.0.2.1 ; x\ndomain a.example\nsearch b.example c.example\noptions ndots:2\noptions rotate\nnameserver 192.0.2.2\n'))
      .toEqual({ nameservers: ['192.0.2.1', '192.0.2.2'], searches: ['b.example', 'c.example'], options: ['ndots:2', 'rotate'] });
  });

  it('replaces a loopback stub with systemd-resolved\'s upstream list, as k3s does', () => {
    writeFileSync(join(dir, 'stub'), 'nameserver 127.0.0.53\nsearch lan\n');
    writeFileSync(join(dir, 'real'), 'nameserver 192.0.2.9\nsearch lan\n');
    expect(hostDns(join(dir, 'stub'), join(dir, 'real'))).toEqual({ nameservers: ['192.0.2.9'], searches: ['lan'], options: [], path: join(dir, 'real') });
    expect(hostDns(join(dir, 'stub'), join(dir, 'missing'))).toMatchObject({ nameservers: ['127.0.0.53'], path: join(dir, 'stub') });
    expect(hostDns(join(dir, 'none'), join(dir, 'real'))).toEqual({ nameservers: [], searches: [], options: [], path: join(dir, 'none') });
  });
});
