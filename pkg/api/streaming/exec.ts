import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../status.ts';
import type { TunnelRegistry } from '../tunnel/index.ts';
import { chooseChannelProtocol, relayChannels } from './channel-protocol.ts';
import { bool } from './options.ts';
import { execContainer, nodeOf, runningContainerId, type Pod } from './target.ts';
import { acceptWebSocket, isWebSocket, offeredProtocols, type Upgrade } from './upgrade.ts';

/**
 * pods/exec and pods/attach over a WebSocket channel protocol. Everything that can fail is
 * checked before the handshake — the options, the container, the node's tunnel and the agent's
 * acceptance — so a refusal is an HTTP Status, which kubectl prints after its SPDY retry.
 */
export async function serveExec(tunnels: TunnelRegistry, pod: Pod, kind: 'exec' | 'attach', req: IncomingMessage, res: ServerResponse, q: URLSearchParams, up: Upgrade | undefined): Promise<void> {
  const command = q.getAll('command');
  if (kind === 'exec' && command.length === 0) throw badRequest('you must specify at least 1 command');
  const io = { stdin: bool(q, 'stdin'), stdout: bool(q, 'stdout'), stderr: bool(q, 'stderr'), tty: bool(q, 'tty') };
  if (!io.stdin && !io.stdout && !io.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const container = execContainer(pod, q.get('container') || null);
  const node = nodeOf(pod);
  tunnels.requireConnected(node);
  const containerId = runningContainerId(pod, container);
  if (!up) throw badRequest('Upgrade request required');
  if (!isWebSocket(req)) {
    throw badRequest(`skiff serves ${kind} over WebSocket (v5.channel.k8s.io) only, not over SPDY; unset KUBECTL_REMOTE_COMMAND_WEBSOCKETS`);
  }
  const protocol = chooseChannelProtocol(offeredProtocols(req));
  if (!protocol) throw badRequest(`unable to upgrade: none of the offered subprotocols [${offeredProtocols(req).join(', ')}] is served; use v5.channel.k8s.io`);
  const target = { namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid!, container, containerId };
  const stream = await tunnels.open(node, kind === 'exec' ? { kind, target, command, ...io } : { kind, target, ...io });
  let ws;
  try {
    ws = await acceptWebSocket(req, res, up, protocol);
  } catch (err) {
    stream.destroy();
    throw err;
  }
  await relayChannels(ws, protocol, stream);
}
