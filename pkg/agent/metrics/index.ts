// Resource usage of the node and its containers, sampled for the metrics API (DESIGN.md §4).
export { metricsCollector } from './collector.ts';
export type { MetricsCollector, MetricsCollectorConfig } from './collector.ts';
