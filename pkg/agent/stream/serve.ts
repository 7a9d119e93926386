import type { IncomingStream, MetricsSummary, TunnelStream } from '../../api/tunnel/index.ts';
import type { Logger } from '../../util/index.ts';
import type { ContainerRuntime } from '../runtime/index.ts';
import { serveExec } from './exec.ts';
import { serveLogs } from './logs.ts';
import { serveMetrics } from './metrics.ts';
import { servePortForward } from './portforward.ts';
import { Refusal } from './target.ts';

export interface StreamServerDeps {
  runtime: ContainerRuntime;
  node: string;
  log: Logger;
  /** The node's newest resource usage (pkg/agent/metrics); without it metrics requests get 503. */
  metrics?: () => MetricsSummary;
}

/**
 * The agent's end of every streaming request (the kubelet's streaming server): refuses with a
 * Status what it cannot serve, before accepting; after accepting, a failure resets the stream.
 */
export function streamServer(deps: StreamServerDeps): (s: IncomingStream) => void {
  return (s) => {
    const { runtime, node } = deps;
    const r = s.request;
    if (r.kind === 'metrics') return serveMetrics(s, deps.metrics);
    let accepted: TunnelStream | undefined;
    const t = { refuse: s.refuse, accept: () => (accepted = s.accept()) };
    const served = r.kind === 'log' ? serveLogs(runtime, node, { ...t, request: r })
      : r.kind === 'portforward' ? servePortForward(runtime, node, { ...t, request: r })
        : serveExec(runtime, node, { ...t, request: r });
    served.catch((err: unknown) => {
      // Once accepted, the only way to report is to reset the stream.
      if (accepted) return void accepted.destroy(err as Error);
      if (err instanceof Refusal) return s.refuse(err.status);
      deps.log.warn('stream failed', { kind: r.kind, err: (err as Error).message });
      s.refuse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError', message: `Internal error occurred: ${(err as Error).message}` });
    });
  };
}
