import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinJumps, chainsFor, Iptables, planServices, renderRules, type RuleContext } from '../../../pkg/agent/proxy/index.ts';
import type { core, discovery } from '../../../pkg/api/types/index.ts';

// The real iptables commands, in a network namespace of this test's own so the host's rules are
// never touched. Needs root and iproute2; skipped otherwise.
const ns = `skiffproxy-${randomBytes(3).toString('hex')}`;
const usable = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'add', ns]).status === 0;
const ipt = new Iptables(['ip', 'netns', 'exec', ns]);
const sh = (cmd: string) => spawnSync('ip', ['netns', 'exec', ns, 'sh', '-c', cmd], { encoding: 'utf8' });

const mk = (tag: string): RuleContext => ({ chains: chainsFor(tag), bridge: `skiff${tag}`, podCIDR: '10.42.0.0/24' });
const ctxA = mk('aaaaaaaa');
const ctxB = mk('bbbbbbbb');
const svc = (name: string, ip: string): core.Service => ({ metadata: { namespace: 'default', name }, spec: { type: 'NodePort', clusterIP: ip, sessionAffinity: 'ClientIP', ports: [{ port: 80, nodePort: 30080 }] } });
const slice = (name: string): discovery.EndpointSlice => ({ metadata: { namespace: 'default', labels: { 'kubernetes.io/service-name': name } }, addressType: 'IPv4', ports: [{ port: 8080 }], endpoints: [{ addresses: ['10.42.0.5'], conditions: { ready: true } }, { addresses: ['10.42.0.6'] }] });
const slicesOf = (_ns: string, name: string) => [slice(name)];
const chainsOf = async (tag: string) => [...(await ipt.save('nat')).chains, ...(await ipt.save('filter')).chains].filter((c) => c.includes(tag)).sort();

beforeAll(() => {
  if (!usable) return;
  for (const ctx of [ctxA, ctxB]) sh(`ip link add ${ctx.bridge} type bridge`);
});
afterAll(() => {
  if (usable) spawnSync('ip', ['netns', 'del', ns]);
});

describe.skipIf(!usable)('Iptables (a network namespace of its own)', () => {
  it('applies rendered rules with iptables-restore --noflush, and a rewrite removes the chains of deleted services', async () => {
    expect(await ipt.available()).toBe(true);
    const both = planServices([svc('one', '10.43.0.10'), svc('two', '10.43.0.11')], slicesOf, 'n1');
    await ipt.restore(renderRules(both, ctxA));
    for (const j of builtinJumps(ctxA)) await ipt.ensureJump(j);
    for (const j of builtinJumps(ctxA)) await ipt.ensureJump(j);
    const nat = sh('iptables-save -t nat').stdout;
    expect(nat.match(/-A PREROUTING .*-j SKIFF-aaaaaaaa-SERVICES/g)).toHaveLength(2);
    expect(nat).toContain('--to-destination 10.42.0.6:8080');
    expect(nat).toContain('-m recent --rcheck --seconds 10800 --reap --name SKIFF-aaaaaaaa-SEP-');
    const before = await chainsOf('aaaaaaaa');

    const one = planServices([svc('one', '10.43.0.10')], slicesOf, 'n1');
    const existing = { nat: (await ipt.save('nat')).chains.filter((c) => c.startsWith('SKIFF-aaaaaaaa-')), filter: (await ipt.save('filter')).chains.filter((c) => c.startsWith('SKIFF-aaaaaaaa-')) };
    await ipt.restore(renderRules(one, ctxA, existing));
    const after = await chainsOf('aaaaaaaa');
    const gone = before.filter((c) => !after.includes(c));
    expect(gone.sort()).toEqual([ctxA.chains.svc('default/two:80'), ctxA.chains.ext('default/two:80'),
      ctxA.chains.sep('default/two:80', '10.42.0.5', 8080, 'tcp'), ctxA.chains.sep('default/two:80', '10.42.0.6', 8080, 'tcp')].sort());
    expect(sh('iptables-save -t nat').stdout).not.toContain('10.43.0.11');
  });

  it('removes one node\'s chains and the built-in chains\' jumps to them, leaving another node\'s alone', async () => {
    sh('iptables -w -N DOCKER-USER');
    await ipt.restore(renderRules(planServices([svc('one', '10.43.0.20')], slicesOf, 'n2'), ctxB));
    for (const j of builtinJumps({ ...ctxB, forwardChain: 'DOCKER-USER' })) await ipt.ensureJump(j);
    for (const j of builtinJumps({ ...ctxA, forwardChain: 'DOCKER-USER' })) await ipt.ensureJump(j);
    expect(sh('iptables-save -t filter').stdout.match(/-A DOCKER-USER .*-j SKIFF-aaaaaaaa-/g)).toHaveLength(2);
    const ofA = (await chainsOf('aaaaaaaa')).length;
    expect(ofA).toBeGreaterThan(0);
    expect(await ipt.removeChains((t) => t === 'aaaaaaaa')).toBe(ofA);
    expect(await chainsOf('aaaaaaaa')).toEqual([]);
    const saved = sh('iptables-save').stdout;
    expect(saved).not.toContain('aaaaaaaa');
    expect(saved.match(/-A (PREROUTING|OUTPUT|POSTROUTING|INPUT|DOCKER-USER) .*SKIFF-bbbbbbbb-/g)).toHaveLength(8);
    expect(await ipt.removeChains(() => true)).toBeGreaterThan(0);
    expect(sh('iptables-save').stdout).not.toContain('SKIFF-');
  });
});
