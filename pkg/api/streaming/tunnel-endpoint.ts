import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../request.ts';
import { badRequest, forbidden } from '../status.ts';
import type { TunnelRegistry } from '../tunnel/index.ts';
import { acceptWebSocket, type Upgrade } from './upgrade.ts';

const nodeName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * GET /skiff/v1/tunnel?node=N (WebSocket): an agent opening its tunnel. Allowed for the node's own
 * identity (`system:node:N`) and for cluster admins (system:masters), which agents joined with
 * the admin kubeconfig are until join tokens give them their own.
 */
export async function serveTunnel(tunnels: TunnelRegistry, req: IncomingMessage, res: ServerResponse, q: URLSearchParams, user: UserInfo, up: Upgrade | undefined): Promise<void> {
  const node = q.get('node') ?? '';
  if (!node || node.length > 253 || !nodeName.test(node)) throw badRequest(`the tunnel needs ?node=<node name> (a DNS subdomain), got "${node}"`);
  if (user.name !== `system:node:${node}` && !user.groups.includes('system:masters')) {
    throw forbidden(`User "${user.name}" cannot open the agent tunnel of node "${node}"`);
  }
  const ws = await acceptWebSocket(req, res, up);
  tunnels.attach(node, ws);
}
