import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBinary } from '../build/binary.ts';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { joinAgents, removeNodeLeftovers, type JoinedAgents } from './nodes.ts';

// A server without its own agent, and two `skiff agent` processes joining it as two nodes.
const run = randomBytes(3).toString('hex');
const nodes = [`join-a-${run}`, `join-b-${run}`];
const cidr = `10.${200 + (randomBytes(1)[0]! % 50)}.0.0/16`;
let s: TestServer;
let joined: JoinedAgents | undefined;

beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(['--cluster-cidr', cidr]);
  joined = await joinAgents(s, nodes);
});
afterAll(async () => {
  await joined?.stop();
  await s?.stop();
  for (const n of nodes) await removeNodeLeftovers(n);
});

async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: timed out\n${s.logs().split('\n').slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!apiServed)(`skiff agent joins a server${untilServed}`, () => {
  it('registers two nodes with distinct pod CIDRs, and runs a pod on each', async () => {
    await until('both nodes Ready', () => {
      const out = s.kubectl(['get', 'nodes', '--no-headers']).stdout;
      return nodes.every((n) => new RegExp(`^${n}\\s+Ready\\s`, 'm').test(out));
    });
    const cidrs = nodes.map((n) => s.kubectl(['get', 'node', n, '-o', 'jsonpath={.spec.podCIDR}']).stdout);
    expect(new Set(cidrs).size).toBe(2);
    for (const n of nodes) {
      const yaml = `apiVersion: v1\nkind: Pod\nmetadata: {name: on-${n}}\nspec:\n  nodeName: ${n}\n  terminationGracePeriodSeconds: 1\n  containers:\n  - {name: c, image: skiff-test/busybox:latest, imagePullPolicy: IfNotPresent, command: [sleep, "1000"]}\n`;
      expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    }
    await until('both pods Running', () => nodes.every((n) => s.kubectl(['get', 'pod', `on-${n}`, '-o', 'jsonpath={.status.phase}']).stdout === 'Running'));
    const wide = s.kubectl(['get', 'pods', '-o', 'wide', '--no-headers']).stdout;
    nodes.forEach((n, i) => expect(wide).toMatch(new RegExp(`^on-${n}\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+${cidrs[i]!.slice(0, -4).replace(/\./g, '\\.')}\\d+\\s+${n}\\s`, 'm')));
  });

  it('says in one line what is missing: credentials, or a reachable Docker engine', async () => {
    const bin = await builtBinary();
    const noCreds = spawnSync(bin, ['agent', '--node-name', 'x', '--data-dir', join(s.dir, 'nocreds')], { encoding: 'utf8' });
    expect(noCreds.status).toBe(2);
    expect(noCreds.stderr).toBe("skiff: agent: --server URL --token TOKEN is required to join (the token is in the server's <data-dir>/server/node-token), or --kubeconfig FILE (see 'skiff help')\n");
    const noDocker = spawnSync(bin, ['agent', '--kubeconfig', s.kubeconfig, '--node-name', `nodocker-${run}`, '--data-dir', join(s.dir, 'nodocker')], {
      encoding: 'utf8', env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, timeout: 30_000,
    });
    expect(noDocker.status).toBe(1);
    expect(noDocker.stderr.trim().split('\n').at(-1)).toMatch(/^skiff agent: cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker\.sock .*; start it/);
  });
});
