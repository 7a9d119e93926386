import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { createSecureContext } from 'node:tls';
import type { InformerFactory } from '../../api/client/index.ts';
import { issueCa, issueLeaf } from '../../api/auth/index.ts';
import type { core, discovery, networking, KObject } from '../../api/types/index.ts';
import type { Logger } from '../../util/index.ts';
import { CertStore } from './certs.ts';
import { isServed } from './class.ts';
import { backendEndpoints } from './endpoints.ts';
import { forwardRequest, forwardUpgrade, sendStatus } from './forward.ts';
import { Router } from './router.ts';
import { buildRoutes } from './routes.ts';

type Ingress = networking.Ingress & KObject;
type IngressClass = networking.IngressClass & KObject;
type Service = core.Service & KObject;
type Slice = discovery.EndpointSlice & KObject;
type Secret = core.Secret & KObject;

export interface IngressProxyOptions {
  informers: InformerFactory;
  /** Host ports of plain HTTP and of HTTPS (80 and 443 by default in the commands). */
  httpPort: number;
  httpsPort: number;
  /** Address both listen on; all of the host's by default. */
  address?: string;
  log: Logger;
  /** How long to wait before trying a port again that something else holds. */
  retryMs?: number;
}

export interface IngressProxy {
  /** Resolves once the caches are synced and the default certificate exists; binding retries on its own. */
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

const sliceIndex = 'ingress-service-name';

/**
 * The node's ingress controller: informers on Ingresses, IngressClasses, Services, EndpointSlices
 * and Secrets (registered at construction, before the factory starts) keep a route table and the
 * TLS certificates current; an HTTP and an HTTPS server on the host send each request straight to
 * a ready endpoint of its backend. A port that is taken is logged and tried again every
 * `retryMs` — the node keeps running without ingress meanwhile.
 */
export function ingressProxy(o: IngressProxyOptions): IngressProxy {
  const ingresses = o.informers.informer<Ingress>('networking.k8s.io/v1', 'ingresses');
  const classes = o.informers.informer<IngressClass>('networking.k8s.io/v1', 'ingressclasses');
  const services = o.informers.informer<Service>('v1', 'services');
  const slices = o.informers.informer<Slice>('discovery.k8s.io/v1', 'endpointslices');
  const secrets = o.informers.informer<Secret>('v1', 'secrets');
  slices.addIndexer(sliceIndex, (s) => {
    const name = s.metadata.labels?.['kubernetes.io/service-name'];
    return name ? [`${s.metadata.namespace}/${name}`] : [];
  });
  const router = new Router({
    endpointsOf: (ref) => backendEndpoints(ref, services.get(`${ref.namespace}/${ref.service}`), slices.byIndex(sliceIndex, `${ref.namespace}/${ref.service}`)),
  });
  // Sockets to backends are reused across client requests (upstream keepalive).
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 64, timeout: 60_000 });
  let certs: CertStore | undefined;
  const servers: Server[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const rebuild = () => {
    const served = ingresses.list().filter((i) => isServed(i, classes.list()));
    router.setTable(buildRoutes(served));
    certs?.update(served);
  };

  const onError = (err: Error) => o.log.debug('ingress backend failed', { err: err.message });
  const handler = (proto: 'http' | 'https') => (req: IncomingMessage, res: ServerResponse) => {
    const d = router.decide(req.headers.host, req.url ?? '/', req.headers);
    if (d.kind === 'status') sendStatus(res, d.code);
    else forwardRequest(req, res, d.endpoint, proto, agent, onError);
  };
  const upgrade = (proto: 'http' | 'https') => (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const d = router.decide(req.headers.host, req.url ?? '/', req.headers);
    if (d.kind === 'status') socket.end(`HTTP/1.1 ${d.code} ${d.code === 404 ? 'Not Found' : 'Service Unavailable'}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
    else forwardUpgrade(req, socket, head, d.endpoint, proto, onError);
  };

  function listen(server: Server, port: number, what: string): void {
    const attempt = () => {
      if (stopped) return;
      server.once('error', (err: NodeJS.ErrnoException) => {
        o.log.warn(`ingress ${what} port is not available; retrying`, { port, err: err.message });
        const t = setTimeout(() => {
          timers.delete(t);
          attempt();
        }, o.retryMs ?? 15_000);
        t.unref();
        timers.add(t);
      });
      // SO_REUSEPORT lets the userspace service proxy listen on a cluster IP with the same port
      // (10.43.0.1:443 beside 0.0.0.0:443); the most specific address gets the connection.
      server.listen({ port, host: o.address ?? '0.0.0.0', reusePort: true }, () => {
        server.removeAllListeners('error');
        server.on('error', (err) => o.log.warn(`ingress ${what} server error`, { err: err.message }));
        o.log.info(`ingress ${what} listening`, { port });
      });
    };
    attempt();
  }

  return {
    async start(signal) {
      // Hosts without a certificate of their own get this one (ingress-nginx's "fake certificate").
      const now = new Date();
      const ca = await issueCa(now);
      const leaf = await issueLeaf(ca, { commonName: 'skiff ingress default certificate', usage: 'server', dnsNames: ['ingress.local'] }, now);
      certs = new CertStore((k) => secrets.get(k), createSecureContext({ cert: leaf.cert, key: leaf.key }), o.log);
      for (const inf of [ingresses, classes] as const) {
        (inf as typeof ingresses).onAdd(rebuild);
        (inf as typeof ingresses).onUpdate(rebuild);
        (inf as typeof ingresses).onDelete(rebuild);
      }
      for (const inf of [ingresses, classes, services, slices, secrets] as const) await (inf as typeof ingresses).waitForSync(signal);
      rebuild();
      const store = certs;
      const http = createServer({ keepAliveTimeout: 75_000 }, handler('http'));
      const https = createHttpsServer({ cert: leaf.cert, key: leaf.key, SNICallback: (name, cb) => cb(null, store.contextFor(name)), keepAliveTimeout: 75_000 }, handler('https'));
      http.on('upgrade', upgrade('http'));
      https.on('upgrade', upgrade('https'));
      servers.push(http, https);
      listen(http, o.httpPort, 'HTTP');
      listen(https, o.httpsPort, 'HTTPS');
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
        if (!s.listening) return resolve();
        s.close(() => resolve());
        s.closeAllConnections();
      })));
      agent.destroy();
    },
  };
}
