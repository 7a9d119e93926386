import type { Logger } from '../../util/index.ts';
import type { MetricsSummary, TunnelRegistry } from '../tunnel/index.ts';

/** Where the API server gets a node's usage; undefined when the node cannot be asked. */
export interface MetricsSource {
  summary(node: string): Promise<MetricsSummary | undefined>;
}

/** The agent resamples every 15 s; asking it more often than this would only repeat the answer. */
const MAX_AGE_MS = 5_000;
/** A node that does not answer in this time is left out of the answer (metrics-server's scrape timeout is similar). */
const READ_TIMEOUT_MS = 5_000;
/** The largest summary accepted from an agent. */
const MAX_BYTES = 8 * 1024 * 1024;

/**
 * Pulls summaries through the agents' tunnels on demand (metrics-server's scrape, but only when
 * someone asks): one request per node at a time, answers reused for a few seconds, held in
 * memory only. A node without a tunnel, or whose agent fails or is slow, yields undefined.
 */
export function tunnelMetricsSource(tunnels: TunnelRegistry, log: Logger, now: () => number = Date.now): MetricsSource {
  const cache = new Map<string, { at: number; value: Promise<MetricsSummary | undefined> }>();
  return {
    summary(node) {
      if (!tunnels.connected(node)) return Promise.resolve(undefined);
      const hit = cache.get(node);
      if (hit && now() - hit.at < MAX_AGE_MS) return hit.value;
      const value = pull(tunnels, node).catch((err: unknown) => {
        log.debug('metrics pull failed', { node, err: (err as Error).message });
        cache.delete(node);
        return undefined;
      });
      cache.set(node, { at: now(), value });
      return value;
    },
  };
}

async function pull(tunnels: TunnelRegistry, node: string): Promise<MetricsSummary> {
  const stream = await tunnels.open(node, { kind: 'metrics' });
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(() => stream.destroy(new Error('the node agent sent no metrics in time')), READ_TIMEOUT_MS);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BYTES) throw new Error('the node agent sent too large a metrics summary');
      chunks.push(chunk);
    }
    stream.end();
  } finally {
    clearTimeout(timer);
    if (!stream.writableEnded) stream.destroy();
  }
  const s = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MetricsSummary;
  if (!s || typeof s !== 'object' || !Array.isArray(s.pods)) throw new Error('the node agent sent a malformed metrics summary');
  return s;
}
