import type { WebSocket } from 'ws';
import type { Logger } from '../../util/index.ts';
import { StatusError } from '../status.ts';
import { TunnelMux } from './mux.ts';
import type { StreamRequest } from './requests.ts';
import type { TunnelStream } from './stream.ts';

/** How often the server pings each agent; a tunnel that misses a whole period is dropped. */
export const PING_INTERVAL_MS = 15_000;

/**
 * The tunnels of connected agents, by node name. A node that connects again replaces its old
 * tunnel (the agent restarted, or its network moved). The server pings every tunnel; one that
 * does not answer within a period is terminated, so a vanished agent is noticed.
 */
export class TunnelRegistry {
  private readonly byNode = new Map<string, TunnelMux>();
  private readonly timer: NodeJS.Timeout;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly sockets = new Map<WebSocket, string>();

  constructor(private readonly log: Logger, pingIntervalMs = PING_INTERVAL_MS) {
    this.timer = setInterval(() => this.ping(), pingIntervalMs);
    this.timer.unref();
  }

  /** Takes ownership of an upgraded WebSocket from the agent of `node`. */
  attach(node: string, ws: WebSocket): TunnelMux {
    const mux = new TunnelMux(ws);
    const old = this.byNode.get(node);
    this.byNode.set(node, mux);
    this.sockets.set(ws, node);
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    old?.close(1000, 'replaced by a newer tunnel from the same node');
    this.log.info('agent tunnel connected', { node });
    void mux.closed.then(() => {
      this.sockets.delete(ws);
      if (this.byNode.get(node) === mux) {
        this.byNode.delete(node);
        this.log.info('agent tunnel disconnected', { node });
      }
    });
    return mux;
  }

  connected(node: string): boolean {
    return this.byNode.has(node);
  }

  /** Throws 503 ServiceUnavailable unless `node`'s agent has its tunnel open. */
  requireConnected(node: string): TunnelMux {
    const mux = this.byNode.get(node);
    if (mux) return mux;
    throw new StatusError({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 503, reason: 'ServiceUnavailable',
      message: `node "${node}" has no agent connected to the API server (its tunnel is down), so logs, exec, attach and port-forward cannot reach it`,
    });
  }

  /** Opens a stream to `node`'s agent: 503 when it has no tunnel, else as TunnelMux.open. */
  async open(node: string, request: StreamRequest): Promise<TunnelStream> {
    return this.requireConnected(node).open(request);
  }

  close(): void {
    clearInterval(this.timer);
    for (const mux of this.byNode.values()) mux.close(1001, 'server stopping');
    this.byNode.clear();
  }

  private ping(): void {
    for (const ws of this.sockets.keys()) {
      if (!this.alive.get(ws)) {
        this.log.warn('agent tunnel missed a ping; dropping it', { node: this.sockets.get(ws) });
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }
}
