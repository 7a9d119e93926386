/**
 * The metrics summary an agent hands the API server through its tunnel (the kubelet's summary
 * API, cut to what metrics.k8s.io serves). Rates are over the window between the agent's last
 * two samples; times are milliseconds since the epoch by the node's clock.
 */
export interface MetricsRequest {
  kind: 'metrics';
}

export interface UsageWindow {
  /** When the newer of the two samples was read. */
  timestamp: number;
  /** Milliseconds between the two samples. */
  windowMs: number;
}

export interface Usage {
  /** CPU in use, in billionths of a core. */
  cpuNanoCores: number;
  memoryWorkingSetBytes: number;
}

export interface ContainerMetrics extends Usage {
  name: string;
}

export interface PodMetricsSummary extends UsageWindow {
  namespace: string;
  name: string;
  uid: string;
  /** App containers with two samples so far (a container just started has none yet). */
  containers: ContainerMetrics[];
}

export interface MetricsSummary {
  node: string;
  /** The whole machine (from /proc); absent until two samples have been read. */
  usage?: Usage & UsageWindow;
  pods: PodMetricsSummary[];
}
