import { execFile } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import type { Logger } from '../../util/index.ts';
import type { Backend, ServicePortPlan } from './model.ts';

const run = promisify(execFile);

interface Portal {
  server: Server;
  plan: ServicePortPlan;
  /** client IP → backend and when its affinity ends (sessionAffinity ClientIP). */
  affinity: Map<string, { backend: Backend; until: number }>;
}

/**
 * The proxy for machines without iptables: a TCP relay in this process per service port, on the
 * cluster IP (added to the loopback device when the host does not have it, so pods reach it
 * through their gateway), on every address for the node port, and on external IPs the node
 * owns. Each connection goes to a random ready backend (or the client's previous one under
 * ClientIP affinity); a backend that refuses is skipped for the next. UDP is not relayed.
 */
export class UserspaceProxy {
  private readonly portals = new Map<string, Portal>();
  private readonly added = new Set<string>();

  constructor(private readonly log: Logger, private readonly now: () => number = Date.now) {}

  /** Makes the listeners match `plans`: new ones opened, gone ones closed, backends replaced. */
  async sync(plans: ServicePortPlan[]): Promise<void> {
    const want = new Map<string, { host: string; port: number; plan: ServicePortPlan }>();
    for (const plan of plans) {
      if (plan.protocol !== 'tcp') continue;
      want.set(`${plan.clusterIP}:${plan.port}`, { host: plan.clusterIP, port: plan.port, plan });
      if (plan.nodePort) want.set(`0.0.0.0:${plan.nodePort}`, { host: '0.0.0.0', port: plan.nodePort, plan });
      for (const ip of plan.externalIPs) want.set(`${ip}:${plan.port}`, { host: ip, port: plan.port, plan });
    }
    for (const [key, portal] of this.portals) {
      const w = want.get(key);
      if (w) {
        portal.plan = w.plan;
        for (const [client, a] of portal.affinity) if (!w.plan.backends.some((b) => b.ip === a.backend.ip && b.port === a.backend.port)) portal.affinity.delete(client);
        continue;
      }
      this.portals.delete(key);
      await new Promise<void>((r) => portal.server.close(() => r()));
    }
    for (const [key, w] of want) {
      if (this.portals.has(key)) continue;
      try {
        this.portals.set(key, await this.open(w.host, w.port, w.plan, w.host === w.plan.clusterIP));
      } catch (err) {
        this.log.warn('service port not proxied', { service: w.plan.name, address: key, err: (err as Error).message });
      }
    }
  }

  /** The addresses listened on (`ip:port`), for status and tests. */
  listening(): string[] {
    return [...this.portals.keys()].sort();
  }

  async close(): Promise<void> {
    await this.sync([]);
    for (const ip of this.added) await run('ip', ['addr', 'del', `${ip}/32`, 'dev', 'lo']).catch(() => undefined);
    this.added.clear();
  }

  private async open(host: string, port: number, plan: ServicePortPlan, isClusterIP: boolean): Promise<Portal> {
    const portal: Portal = { server: createServer((sock) => this.relay(portal, sock)), plan, affinity: new Map() };
    try {
      await listen(portal.server, host, port, isClusterIP);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL' || !isClusterIP) throw err;
      await run('ip', ['addr', 'add', `${host}/32`, 'dev', 'lo']);
      this.added.add(host);
      await listen(portal.server, host, port, isClusterIP);
    }
    return portal;
  }

  private relay(portal: Portal, client: Socket): void {
    client.on('error', () => client.destroy());
    const ip = client.remoteAddress?.replace(/^::ffff:/, '') ?? '';
    const { plan, affinity } = portal;
    const sticky = plan.affinitySeconds ? affinity.get(ip) : undefined;
    const order = shuffle(plan.backends);
    if (sticky && sticky.until > this.now()) order.unshift(sticky.backend);
    const attempt = (i: number) => {
      const b = order[i];
      if (!b || client.destroyed) {
        client.destroy();
        return;
      }
      const upstream = createConnection({ host: b.ip, port: b.port });
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        if (plan.affinitySeconds) affinity.set(ip, { backend: b, until: this.now() + plan.affinitySeconds * 1000 });
        client.pipe(upstream).pipe(client);
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
      upstream.on('error', (err) => {
        if (connected) {
          client.destroy();
          return;
        }
        this.log.debug('backend refused; trying the next', { service: plan.name, backend: `${b.ip}:${b.port}`, err: err.message });
        attempt(i + 1);
      });
    };
    attempt(0);
  }
}

/**
 * `reusePort` (SO_REUSEPORT) for cluster IPs: the node's ingress proxy holds 0.0.0.0:80 and :443
 * with it too, and only then may a listener on one address share the port; the kernel hands a
 * connection to the most specific address, so the cluster IP's relay gets its own traffic.
 */
function listen(server: Server, host: string, port: number, reusePort: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true, reusePort }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
