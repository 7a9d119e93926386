import type { MetricsSummary } from '../../api/tunnel/index.ts';
import type { Component, Logger } from '../../util/index.ts';
import { containerKindLabel, nodeLabel } from '../pod/labels.ts';
import type { ContainerRuntime } from '../runtime/index.ts';
import { readMachine } from './proc.ts';
import { summarize, type Samples } from './rates.ts';

export interface MetricsCollectorConfig {
  runtime: ContainerRuntime;
  nodeName: string;
  log: Logger;
  /** Time between samples (metrics-server's resolution); 15 s by default. */
  intervalMs?: number;
  /** Where the machine's stat and meminfo are read (tests); /proc by default. */
  procRoot?: string;
  now?: () => number;
}

export type MetricsCollector = Component & {
  /** The newest summary; pods and node usage appear once two samples have been read. */
  summary(): MetricsSummary;
  /** Reads one round of samples now (start() reads the first). */
  sample(): Promise<void>;
};

/**
 * The agent's resource usage sampler (the kubelet's cAdvisor part): every interval, one
 * one-shot stats read per running app container of this node plus /proc for the machine. Only
 * the last round is kept (in memory), and rates are computed between the last two, so the
 * cost is one engine request per container per interval and nothing is ever written to disk.
 */
export function metricsCollector(cfg: MetricsCollectorConfig): MetricsCollector {
  const now = cfg.now ?? Date.now;
  let last: Samples = { containers: [] };
  let current: MetricsSummary = { node: cfg.nodeName, pods: [] };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function sampleOnce(): Promise<void> {
    const [containers, machine] = await Promise.all([
      cfg.runtime.containerUsage({ [nodeLabel]: cfg.nodeName, [containerKindLabel]: 'app' }),
      readMachine(now, cfg.procRoot),
    ]);
    const next: Samples = { containers, ...(machine ? { machine } : {}) };
    current = summarize(cfg.nodeName, last, next);
    last = next;
  }

  const sample = () => (running ??= sampleOnce().finally(() => (running = undefined)));

  const loop = () => {
    timer = setTimeout(() => {
      void sample().catch((err: unknown) => cfg.log.warn('reading container usage failed', { err: (err as Error).message })).finally(() => {
        if (!stopped) loop();
      });
    }, cfg.intervalMs ?? 15_000);
    timer.unref();
  };

  return {
    name: 'metrics',
    async start() {
      await sample().catch((err: unknown) => cfg.log.warn('reading container usage failed', { err: (err as Error).message }));
      loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    summary: () => current,
    sample,
  };
}
