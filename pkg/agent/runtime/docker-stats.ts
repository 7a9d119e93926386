import type Docker from 'dockerode';
import type { ContainerUsage } from './types.ts';

/**
 * Stats requests in flight at once. The engine answers each one at its stats collector's next
 * tick (about a second, even one-shot), so the requests wait rather than work: enough in flight
 * that 30 containers take two ticks, few enough that a node with hundreds does not flood it.
 */
const CONCURRENCY = 16;

/** The fields of the engine's stats document that skiff reads (cgroup v1 and v2). */
interface StatsDoc {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/**
 * One-shot stats (`stream=false&one-shot=true`: no second sample for precpu) of each running
 * container with the labels, at most CONCURRENCY requests at a time.
 */
export async function dockerUsage(docker: Docker, labels: Record<string, string>): Promise<ContainerUsage[]> {
  const label = Object.entries(labels).map(([k, v]) => (v ? `${k}=${v}` : k));
  const list = await docker.listContainers({ filters: { label, status: ['running'] } });
  const out: ContainerUsage[] = [];
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const c = list[next++]!;
      try {
        const doc = (await docker.getContainer(c.Id).stats({ stream: false, 'one-shot': true } as never)) as unknown as StatsDoc;
        const u = usageOf(c.Id, c.Labels ?? {}, doc);
        if (u) out.push(u);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, worker));
  return out;
}

/**
 * A sample from the engine's stats document; undefined for a container that was not running
 * (no read time or no CPU figure). The working set is usage less inactive file pages, floored at
 * zero, as cAdvisor computes it (`total_inactive_file` on cgroup v1, `inactive_file` on v2).
 */
export function usageOf(id: string, labels: Record<string, string>, doc: StatsDoc): ContainerUsage | undefined {
  const timestamp = parseTime(doc.read);
  const cpu = doc.cpu_stats?.cpu_usage?.total_usage;
  if (timestamp === undefined || typeof cpu !== 'number') return undefined;
  const mem = doc.memory_stats ?? {};
  const stats = mem.stats ?? {};
  const inactive = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  const usage = mem.usage ?? 0;
  return { id, labels, timestamp, cpuUsageNanoSeconds: cpu, memoryWorkingSetBytes: Math.max(0, usage - inactive) };
}

// The engine reports a zero time ("0001-01-01T00:00:00Z") for containers that are not running.
function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
