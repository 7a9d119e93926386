import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import { repoRoot, skiffFromSource } from '../helpers/cli.ts';

const rt = new DockerRuntime();
const run = randomBytes(3).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'skiff-killall-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('skiff killall (real engine)', () => {
  it("removes one node's containers and network, leaving other nodes alone", async () => {
    const mine = `kill-${run}`;
    const other = `keep-${run}`;
    for (const node of [mine, other]) {
      await rt.ensureNetwork({ name: `skiff-${node}`, subnet: node === mine ? '10.198.1.0/24' : '10.198.2.0/24', gateway: node === mine ? '10.198.1.1' : '10.198.2.1', bridge: `sk${node.slice(0, 4)}${run}`, labels: { 'skiff.io/node': node } });
      const id = await rt.createContainer({ name: `skiff-test-${node}`, image: 'skiff-test/busybox:latest', entrypoint: ['sleep', '1000'], labels: { 'skiff.io/node': node }, network: { kind: 'bridge', network: `skiff-${node}` } });
      await rt.startContainer(id);
    }
    try {
      const [cmd, argv] = skiffFromSource(['killall', '--node-name', mine, '--data-dir', dir]);
      const r = spawnSync(cmd, [...argv], { encoding: 'utf8', cwd: repoRoot });
      expect(r.stderr).not.toMatch(/skiff killall:/);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('removed 1 containers, 1 networks, 0 mounts, 0 iptables chains\n');
      expect(await rt.listContainers({ 'skiff.io/node': mine })).toEqual([]);
      expect(await rt.listNetworks({ 'skiff.io/node': mine })).toEqual([]);
      expect((await rt.listContainers({ 'skiff.io/node': other })).map((c) => c.state)).toEqual(['running']);
    } finally {
      for (const c of await rt.listContainers({ 'skiff.io/node': other })) await rt.removeContainer(c.id);
      await rt.removeNetwork(`skiff-${other}`);
    }
  });
});
