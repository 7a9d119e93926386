import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busyCpuNanoSeconds, memoryWorkingSetBytes, readMachine } from '../../../pkg/agent/metrics/proc.ts';
import { rate, summarize } from '../../../pkg/agent/metrics/rates.ts';
import { usageOf } from '../../../pkg/agent/runtime/docker-stats.ts';
import type { ContainerUsage } from '../../../pkg/agent/runtime/index.ts';

const stat = (user: number, idle: number) => `cpu  ${user} 10 20 ${idle} 5 1 2 3 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1\n`;
const meminfo = 'MemTotal:        2048000 kB\nMemFree:          512000 kB\nMemAvailable:    1024000 kB\nInactive(file):   256000 kB\n';

describe('busyCpuNanoSeconds and memoryWorkingSetBytes', () => {
  it('reads busy time (not idle or iowait) in ns and the working set from /proc text', () => {
    // user 100 + nice 10 + system 20 + irq 1 + softirq 2 + steal 3 = 136 ticks of 10 ms.
    expect(busyCpuNanoSeconds(stat(100, 9999))).toBe(136 * 1e7);
    expect(memoryWorkingSetBytes(meminfo)).toBe((2048000 - 512000 - 256000) * 1024);
    expect(busyCpuNanoSeconds('intr 1\n')).toBeUndefined();
    expect(memoryWorkingSetBytes('MemTotal: 1 kB\n')).toBeUndefined();
  });

  it('samples a machine from a /proc directory, and gives up quietly without one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-metrics-proc-'));
    try {
      writeFileSync(join(dir, 'stat'), stat(100, 1));
      writeFileSync(join(dir, 'meminfo'), meminfo);
      expect(await readMachine(() => 42, dir)).toEqual({ timestamp: 42, cpuUsageNanoSeconds: 136 * 1e7, memoryWorkingSetBytes: 1280000 * 1024 });
      expect(await readMachine(() => 42, join(dir, 'absent'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('usageOf', () => {
  it('takes the working set as usage less inactive file pages, on cgroup v1 and v2', () => {
    const v1 = usageOf('a', {}, { read: '2026-01-01T00:00:15.5Z', cpu_stats: { cpu_usage: { total_usage: 7 } }, memory_stats: { usage: 10_000, stats: { total_inactive_file: 4_000, inactive_file: 1 } } });
    expect(v1).toEqual({ id: 'a', labels: {}, timestamp: Date.parse('2026-01-01T00:00:15.5Z'), cpuUsageNanoSeconds: 7, memoryWorkingSetBytes: 6_000 });
    expect(usageOf('b', {}, { read: '2026-01-01T00:00:00Z', cpu_stats: { cpu_usage: { total_usage: 1 } }, memory_stats: { usage: 100, stats: { inactive_file: 300 } } })?.memoryWorkingSetBytes).toBe(0);
    // A stopped container reports the zero time and no CPU figure.
    expect(usageOf('c', {}, { read: '0001-01-01T00:00:00Z', cpu_stats: { cpu_usage: {} } })).toBeUndefined();
  });
});

const labels = (pod: string, container: string) => ({ 'io.kubernetes.pod.uid': `uid-${pod}`, 'io.kubernetes.pod.name': pod, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.container.name': container });
const sample = (id: string, pod: string, container: string, timestamp: number, cpu: number, mem = 1024): ContainerUsage =>
  ({ id, labels: labels(pod, container), timestamp, cpuUsageNanoSeconds: cpu, memoryWorkingSetBytes: mem });

describe('rate and summarize', () => {
  it('turns cumulative CPU into nano-cores over the window between two samples', () => {
    expect(rate({ timestamp: 0, cpuUsageNanoSeconds: 0 }, { timestamp: 15_000, cpuUsageNanoSeconds: 7.5e9, memoryWorkingSetBytes: 5 })).toEqual({ timestamp: 15_000, windowMs: 15_000, cpuNanoCores: 5e8, memoryWorkingSetBytes: 5 });
    expect(rate(undefined, { timestamp: 1, cpuUsageNanoSeconds: 1, memoryWorkingSetBytes: 1 })).toBeUndefined();
    expect(rate({ timestamp: 5, cpuUsageNanoSeconds: 1 }, { timestamp: 5, cpuUsageNanoSeconds: 2, memoryWorkingSetBytes: 1 })).toBeUndefined();
    expect(rate({ timestamp: 1, cpuUsageNanoSeconds: 9 }, { timestamp: 5, cpuUsageNanoSeconds: 2, memoryWorkingSetBytes: 1 })).toBeUndefined();
  });

  it('groups containers by pod, leaving out those sampled only once', () => {
    const prev = { containers: [sample('a', 'web', 'app', 0, 0), sample('b', 'web', 'side', 0, 0)], machine: { timestamp: 0, cpuUsageNanoSeconds: 0, memoryWorkingSetBytes: 0 } };
    const cur = {
      containers: [sample('b', 'web', 'side', 16_000, 1.6e9, 2048), sample('a', 'web', 'app', 15_000, 3e9, 4096), sample('c', 'new', 'app', 15_000, 1e9)],
      machine: { timestamp: 15_000, cpuUsageNanoSeconds: 15e9, memoryWorkingSetBytes: 1 << 20 },
    };
    expect(summarize('n1', prev, cur)).toEqual({
      node: 'n1',
      usage: { timestamp: 15_000, windowMs: 15_000, cpuNanoCores: 1e9, memoryWorkingSetBytes: 1 << 20 },
      pods: [{
        namespace: 'default', name: 'web', uid: 'uid-web', timestamp: 16_000, windowMs: 16_000,
        containers: [{ name: 'app', cpuNanoCores: 2e8, memoryWorkingSetBytes: 4096 }, { name: 'side', cpuNanoCores: 1e8, memoryWorkingSetBytes: 2048 }],
      }],
    });
    expect(summarize('n1', { containers: [] }, cur)).toEqual({ node: 'n1', pods: [] });
  });
});
