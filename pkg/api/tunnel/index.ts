// The agent tunnel (DESIGN.md §4): one WebSocket per agent, opened by the agent, carrying
// multiplexed streams for logs, exec, attach and port-forward. Both ends use TunnelMux.
export { TunnelMux } from './mux.ts';
export type { IncomingStream, MuxOptions } from './mux.ts';
export { TunnelStream, WINDOW } from './stream.ts';
export { TunnelRegistry, PING_INTERVAL_MS } from './registry.ts';
export { encodeFrame, decodeFrame, FrameType, FrameError } from './frame.ts';
export type { Frame } from './frame.ts';
export type { MetricsRequest, MetricsSummary, PodMetricsSummary, ContainerMetrics, Usage, UsageWindow } from './metrics.ts';
export { Channel, parseStreamRequest } from './requests.ts';
export type { StreamRequest, LogRequest, ExecRequest, AttachRequest, PortForwardRequest, PodRef, ContainerRef } from './requests.ts';
/** The URL path agents open their tunnel on (`?node=<name>`). */
export const tunnelPath = '/skiff/v1/tunnel';
