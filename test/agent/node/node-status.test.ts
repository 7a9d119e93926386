import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMachineFacts, type MachineFacts } from '../../../pkg/agent/node/facts.ts';
import { nodeLease, nodeObject, nodeStatus, statusChanged } from '../../../pkg/agent/node/node-status.ts';

const facts: MachineFacts = {
  hostname: 'pi', internalIP: '192.168.1.20', cpus: 4, memoryBytes: 4 * 2 ** 30, freeMemoryBytes: 2 * 2 ** 30,
  diskBytes: 32 * 2 ** 30, freeDiskBytes: 20 * 2 ** 30, kernelVersion: '6.6.31', osImage: 'Debian GNU/Linux 12 (bookworm)',
  architecture: 'arm64', machineID: 'm1', bootID: 'b1', pids: { max: 32768, used: 300 },
};
const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:01:00Z');

describe('node object and status', () => {
  it('registers with upstream labels, capacity, allocatable and nodeInfo', () => {
    const n = nodeObject('pi', facts, { labels: { 'node-role.kubernetes.io/control-plane': 'true' }, podCIDR: '10.42.1.0/24' });
    expect(n.metadata?.labels).toMatchObject({ 'kubernetes.io/hostname': 'pi', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64', 'node-role.kubernetes.io/control-plane': 'true' });
    expect(n.spec).toEqual({ podCIDR: '10.42.1.0/24', podCIDRs: ['10.42.1.0/24'] });
    const s = nodeStatus(facts, 'docker://20.10.24', t0);
    expect(s.capacity).toEqual({ cpu: '4', memory: '4194304Ki', pods: '110', 'ephemeral-storage': '33554432Ki' });
    expect(s.allocatable).toMatchObject({ cpu: '4', memory: `${4194304 - 256 * 1024 - 100 * 1024}Ki`, pods: '110' });
    expect(s.addresses).toEqual([{ type: 'InternalIP', address: '192.168.1.20' }, { type: 'Hostname', address: 'pi' }]);
    expect(s.nodeInfo).toMatchObject({ containerRuntimeVersion: 'docker://20.10.24', kubeletVersion: expect.stringMatching(/^v1\.32\.\d+\+skiff/), architecture: 'arm64', operatingSystem: 'linux', osImage: 'Debian GNU/Linux 12 (bookworm)' });
    expect(s.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'], ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'], ['Ready', 'True', 'KubeletReady'],
    ]);
  });

  it('reports pressure, keeping transition times while nothing changes', () => {
    const first = nodeStatus(facts, 'docker://x', t0);
    const same = nodeStatus(facts, 'docker://x', t1, first);
    expect(same.conditions?.[0]).toMatchObject({ lastHeartbeatTime: '2026-01-01T00:01:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' });
    expect(statusChanged(first, same)).toBe(false);
    const full = nodeStatus({ ...facts, freeDiskBytes: 2 ** 30, freeMemoryBytes: 50 * 2 ** 20 }, 'docker://x', t1, first);
    expect(full.conditions?.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasDiskPressure', lastTransitionTime: '2026-01-01T00:01:00Z' });
    expect(full.conditions?.find((c) => c.type === 'MemoryPressure')?.status).toBe('True');
    expect(statusChanged(first, full)).toBe(true);
  });

  it('renews a lease owned by the node', () => {
    expect(nodeLease('pi', 'uid-1', t0)).toEqual({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: 'pi', namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'pi', uid: 'uid-1' }] },
      spec: { holderIdentity: 'pi', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' },
    });
  });

  it('reads this machine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-facts-'));
    try {
      const f = readMachineFacts(dir);
      expect(f.cpus).toBeGreaterThan(0);
      expect(f.memoryBytes).toBeGreaterThan(f.freeMemoryBytes);
      expect(f.diskBytes).toBeGreaterThan(0);
      expect(f.internalIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(['amd64', 'arm64']).toContain(f.architecture);
      expect(f.pids.used).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
