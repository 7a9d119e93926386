import type { IncomingStream, MetricsSummary } from '../../api/tunnel/index.ts';

/** Answers a metrics request with the newest summary as one JSON message, then ends the stream. */
export function serveMetrics(s: IncomingStream, summary: (() => MetricsSummary) | undefined): void {
  if (!summary) {
    s.refuse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 503, reason: 'ServiceUnavailable', message: 'this node agent collects no metrics' });
    return;
  }
  const stream = s.accept();
  stream.end(Buffer.from(JSON.stringify(summary())));
}
