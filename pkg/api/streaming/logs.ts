import type { ServerResponse } from 'node:http';
import type { TunnelRegistry } from '../tunnel/index.ts';
import { logOptions } from './options.ts';
import { logContainer, logContainerId, type Pod } from './target.ts';

/**
 * GET pods/{name}/log: the container's log from its node's agent, as `text/plain`, flushed as it
 * arrives (`follow` ends when the container stops). Errors found before the first byte are
 * Statuses (thrown); a failure later can only cut the stream, as upstream.
 */
export async function serveLogs(tunnels: TunnelRegistry, pod: Pod, q: URLSearchParams, res: ServerResponse): Promise<void> {
  const name = pod.metadata.name!;
  const o = logOptions(q, name);
  const container = logContainer(pod, o.container);
  const node = pod.spec?.nodeName;
  if (!node) {
    // Upstream: a pod no node has taken has no log location, and answers with an empty log.
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
    res.end();
    return;
  }
  // Upstream reaches the kubelet first, which then judges the container's state.
  tunnels.requireConnected(node);
  const containerId = logContainerId(pod, container, o.previous);
  const stream = await tunnels.open(node, {
    kind: 'log',
    target: { namespace: pod.metadata.namespace!, name, uid: pod.metadata.uid!, container, containerId },
    follow: o.follow, timestamps: o.timestamps, tailLines: o.tailLines, since: o.sinceTime, sinceSeconds: o.sinceSeconds, limitBytes: o.limitBytes,
  });
  stream.end(); // nothing flows from the client on a log stream
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  res.on('close', () => stream.destroy());
  try {
    for await (const chunk of stream) {
      if (!res.write(chunk as Buffer)) await new Promise<void>((r) => res.once('drain', r).once('close', r));
      if (res.destroyed) return;
    }
  } catch {
    // The agent went away mid-stream: the log ends where it got to.
  }
  res.end();
}
