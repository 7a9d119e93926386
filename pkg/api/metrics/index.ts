// metrics.k8s.io served by the API server itself (DESIGN.md §4): usage pulled from the agents
// through their tunnels, kept in memory only, never stored.
export { withMetrics } from './handler.ts';
export { tunnelMetricsSource } from './source.ts';
export type { MetricsSource } from './source.ts';
export { cpuQuantity, goDuration, memoryQuantity, metricsApiVersion, metricsGroup } from './objects.ts';
