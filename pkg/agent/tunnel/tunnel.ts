import { WebSocket } from 'ws';
import type { KubeconfigCredentials } from '../../api/auth/index.ts';
import { PING_INTERVAL_MS, TunnelMux, tunnelPath, type IncomingStream } from '../../api/tunnel/index.ts';
import type { Component, Logger } from '../../util/index.ts';

export interface AgentTunnelConfig {
  /** The API server and how to authenticate to it (the node's credentials). */
  credentials: KubeconfigCredentials;
  nodeName: string;
  /** Serves each stream the server opens (pkg/agent/stream). */
  onStream: (s: IncomingStream) => void;
  log: Logger;
  /** Longest wait between reconnection attempts. */
  maxBackoffMs?: number;
}

/**
 * The agent's end of the tunnel (DESIGN.md §4): the agent dials the API server — never the other
 * way round, so agents behind NAT work — and keeps one WebSocket open, reconnecting with
 * back-off (1 s doubling to 30 s) whenever it drops. A tunnel that hears no ping from the server
 * for three ping periods is presumed dead and redialled. start() resolves once the first
 * connection is up or has failed once (the agent runs on and keeps trying either way).
 */
export function agentTunnel(cfg: AgentTunnelConfig): Component & { connected(): boolean } {
  let ws: WebSocket | undefined;
  let mux: TunnelMux | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let backoff = 1_000;
  const url = new URL(tunnelPath, cfg.credentials.server.replace(/^http/, 'ws'));
  url.searchParams.set('node', cfg.nodeName);

  function dial(first?: () => void): void {
    const c = cfg.credentials;
    const socket = new WebSocket(url, {
      ca: c.caCert, cert: c.clientCert, key: c.clientKey,
      headers: c.token ? { Authorization: `Bearer ${c.token}` } : {},
      handshakeTimeout: 10_000,
    });
    ws = socket;
    let watchdog: NodeJS.Timeout | undefined;
    const heard = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => socket.terminate(), 3 * PING_INTERVAL_MS);
      watchdog.unref();
    };
    socket.on('open', () => {
      backoff = 1_000;
      heard();
      mux = new TunnelMux(socket, { onStream: cfg.onStream });
      cfg.log.info('tunnel to the API server open', { url: url.origin });
      first?.();
    });
    socket.on('ping', heard);
    socket.on('unexpected-response', (_req, res) => {
      cfg.log.warn('the API server refused the tunnel', { status: res.statusCode });
      res.resume();
      socket.terminate();
    });
    socket.on('error', (err) => cfg.log.debug('tunnel error', { err: err.message }));
    socket.on('close', () => {
      clearTimeout(watchdog);
      mux = undefined;
      first?.();
      if (stopped) return;
      cfg.log.info('tunnel to the API server closed; redialling', { inMs: backoff });
      retry = setTimeout(() => dial(), backoff);
      retry.unref();
      backoff = Math.min(backoff * 2, cfg.maxBackoffMs ?? 30_000);
    });
  }

  return {
    name: 'agent-tunnel',
    start: () => new Promise<void>((resolve) => dial(resolve)),
    async stop() {
      stopped = true;
      clearTimeout(retry);
      mux?.close(1000, 'agent stopping');
      ws?.terminate();
    },
    connected: () => mux !== undefined,
  };
}
