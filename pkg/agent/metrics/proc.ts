import { readFile } from 'node:fs/promises';

/** Linux reports /proc/stat times in USER_HZ ticks, 100 per second on every architecture skiff runs on. */
const NS_PER_TICK = 1e9 / 100;

/**
 * CPU time the machine has spent busy since boot, in nanoseconds, from the `cpu` line of
 * /proc/stat: everything but idle and iowait (guest time is already inside user and nice).
 * undefined when the text has no such line.
 */
export function busyCpuNanoSeconds(procStat: string): number | undefined {
  const line = procStat.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) return undefined;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return Number.isFinite(busy) ? busy * NS_PER_TICK : undefined;
}

/**
 * The machine's memory working set in bytes from /proc/meminfo: memory in use (total less free)
 * less inactive file pages, the figure cAdvisor reports for the root cgroup.
 */
export function memoryWorkingSetBytes(meminfo: string): number | undefined {
  const kb = (key: string) => {
    const m = new RegExp(`^${key.replace(/[()]/g, '\\$&')}:\\s+(\\d+)`, 'm').exec(meminfo);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kb('MemTotal');
  const free = kb('MemFree');
  if (total === undefined || free === undefined) return undefined;
  return Math.max(0, total - free - (kb('Inactive(file)') ?? 0));
}

export interface MachineSample {
  timestamp: number;
  cpuUsageNanoSeconds: number;
  memoryWorkingSetBytes: number;
}

/** One sample of the machine; undefined where /proc is missing or unreadable (not Linux). */
export async function readMachine(now: () => number, root = '/proc'): Promise<MachineSample | undefined> {
  try {
    const [stat, meminfo] = await Promise.all([readFile(`${root}/stat`, 'utf8'), readFile(`${root}/meminfo`, 'utf8')]);
    const cpu = busyCpuNanoSeconds(stat);
    const mem = memoryWorkingSetBytes(meminfo);
    if (cpu === undefined || mem === undefined) return undefined;
    return { timestamp: now(), cpuUsageNanoSeconds: cpu, memoryWorkingSetBytes: mem };
  } catch {
    return undefined;
  }
}
