import { ServerResponse, type IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Store } from '../../store/index.ts';
import type { Component, Logger } from '../../util/index.ts';
import { apiserverUser, bootstrapNamespace, bootstrapSecret, createAuthenticator, ensureNodeToken, impersonate, createTokenAuthenticator, ensurePki, ensureSigningKey, ensureTokenFile, handlerLookup, handlerRbacSource, httpsOptions, kubeconfig, RbacEvaluator, ServiceAccountTokens, withAuthApis, withNodeRestriction, writeKubeconfig } from '../auth/index.ts';
import { customResources } from '../crd/index.ts';
import { createApiHandler, type RegistryHandler } from '../registry/index.ts';
import type { UserInfo } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import type { KObject } from '../types/index.ts';
import { isAlreadyExists } from '../status.ts';
import { tunnelMetricsSource, withMetrics } from '../metrics/index.ts';
import { streamingFront } from '../streaming/index.ts';
import { TunnelRegistry } from '../tunnel/index.ts';
import { joinEndpoints } from './join.ts';
import { serve } from './serve.ts';
import { kubernetesServiceIP, reconcileKubernetesService, serviceAllocator, serviceRanges, type ServiceRanges } from '../services/index.ts';

export interface ApiServerConfig {
  dataDir: string;
  port: number;
  bindAddress: string;
  hostnames: string[];
  ips: string[];
  writeKubeconfig?: string;
  /**
   * The live resource table, shared with the in-process client and the controllers: the
   * resources of established CustomResourceDefinitions are added to it and removed in place.
   */
  resources: ResourceDef[];
  store: () => Store;
  log: Logger;
  /** --service-cidr and --service-node-port-range (default: 10.43.0.0/16, 30000-32767). */
  serviceRanges?: ServiceRanges;
  /**
   * `iss` of service-account tokens, also the audience the API accepts (kube-apiserver's
   * --service-account-issuer; default https://kubernetes.default.svc.cluster.local).
   */
  serviceAccountIssuer?: string;
}

/** After start: the handler, URL, admin kubeconfig, agent tunnels and the cluster CA (PEM). */
export type ApiServer = Component & { handler?: RegistryHandler; url?: string; kubeconfigPath?: string; tunnels?: TunnelRegistry; caCert?: string; nodeTokenPath?: string };

export const defaultIssuer = 'https://kubernetes.default.svc.cluster.local';

/** Namespaces every cluster has from its first start. */
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The Kubernetes API over HTTPS. start(): certificates and tokens (created on first start), the
 * registry over the store, the system namespaces, the admin kubeconfig, then listening; resolves
 * when the port is open. stop(): closes the listener and every open connection (watches included)
 * and the registry.
 */
export function apiServer(config: ApiServerConfig): ApiServer {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const find = (g: string, v: string, p: string) => config.resources.find((d) => d.group === g && d.version === v && d.plural === p);
  const crds = customResources(config.resources, config.log.child({ component: 'crd' }));
  const ranges = config.serviceRanges ?? serviceRanges();
  const c: ApiServer = {
    name: 'api-server',
    async start() {
      const tlsDir = join(config.dataDir, 'server', 'tls');
      const pki = await ensurePki(tlsDir, { hostnames: config.hostnames, ips: config.ips });
      c.caCert = pki.caCert;
      const tokenFile = join(config.dataDir, 'server', 'token');
      await ensureTokenFile(tokenFile);
      const signingKey = await ensureSigningKey(tlsDir);
      const tunnels = new TunnelRegistry(config.log.child({ component: 'tunnel' }));
      c.tunnels = tunnels;
      const stored = crds.wrap(createApiHandler({ store: config.store(), resources: config.resources, log: config.log.child({ component: 'registry' }), schema: crds.schemaHooks(), allocator: serviceAllocator(ranges) }));
      const lookup = handlerLookup(stored, config.resources);
      const issuer = config.serviceAccountIssuer ?? defaultIssuer;
      const serviceAccounts = new ServiceAccountTokens(signingKey, issuer, [issuer], lookup);
      const evaluator = new RbacEvaluator(handlerRbacSource(stored, config.resources, apiserverUser));
      const reviews = { evaluator, checkToken: createTokenAuthenticator({ tokenFile, serviceAccounts }) };
      // metrics.k8s.io is answered from the agents' live usage, in front of the store-backed registry.
      // Nodes (joined with a token) write only their own Node and Lease and their pods' status.
      const handler = withNodeRestriction(withMetrics(withAuthApis(stored, serviceAccounts, lookup, reviews), tunnelMetricsSource(tunnels, config.log.child({ component: 'metrics' })), find), lookup);
      const authenticate = createAuthenticator({ caCert: pki.caCert, tokenFile, serviceAccounts });
      c.handler = handler;
      await crds.start(handler);
      await bootstrapNamespaces(handler, find);
      c.nodeTokenPath = join(config.dataDir, 'server', 'node-token');
      await ensureNodeToken(c.nodeTokenPath, pki.caCert, (spec) => createIfMissing(handler, find, bootstrapSecret(spec)));
      // /cacerts and /v1-skiff/join answer machines that have no credentials yet.
      const joinFront = joinEndpoints({ ca: { cert: pki.caCert, key: pki.caKey }, lookup, authenticate, saveSecret: (secret) => saveSecret(handler, find, secret), log: config.log.child({ component: 'join' }) });

      server = createServer({ ...httpsOptions(pki), keepAliveTimeout: 65_000 });
      server.on('connection', (s: Socket) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.on('secureConnection', (s) => s.setNoDelay(true));
      let port = config.port;
      const ctx = {
        handler, resources: config.resources, find, authenticate, impersonate: (req: IncomingMessage, user: UserInfo) => impersonate(req, user, (u, a) => evaluator.authorize(u, a)), log: config.log, streaming: streamingFront(handler, tunnels),
        get serverAddress() { return `${config.bindAddress === '0.0.0.0' ? (config.ips[0] ?? '127.0.0.1') : config.bindAddress}:${port}`; },
        ready: () => true,
      };
      server.on('request', (req, res) => void joinFront(req, res).then((done) => (done ? undefined : serve(ctx, req, res)), () => res.destroy()));
      // WebSocket (exec, attach, port-forward, agent tunnels) and SPDY upgrades: the same serve(),
      // with a response written on the raw socket for every answer that is not a handshake.
      server.on('upgrade', (req, socket, head: Buffer) => {
        const res = new ServerResponse(req);
        res.shouldKeepAlive = false;
        res.assignSocket(socket as never);
        res.on('finish', () => socket.end());
        socket.on('error', () => socket.destroy());
        void serve(ctx, req, res, { socket, head });
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(config.port, config.bindAddress, () => resolve());
      });
      port = (server.address() as { port: number }).port;
      const apiIp = config.bindAddress === '0.0.0.0' ? (config.ips[0] ?? '127.0.0.1') : config.bindAddress;
      await reconcileKubernetesService(handler, find, kubernetesServiceIP(ranges), { ip: apiIp, port }, config.log);
      c.url = `https://127.0.0.1:${port}`;
      const text = kubeconfig({ server: c.url, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });
      c.kubeconfigPath = join(config.dataDir, 'server', 'admin.kubeconfig');
      await writeKubeconfig(c.kubeconfigPath, text);
      if (config.writeKubeconfig) await writeKubeconfig(config.writeKubeconfig, text);
      config.log.info('API listening', { url: c.url, bind: config.bindAddress, kubeconfig: config.writeKubeconfig ?? c.kubeconfigPath, nodeToken: c.nodeTokenPath });
    },
    async stop() {
      c.tunnels?.close();
      const closed = server ? new Promise<void>((r) => server!.close(() => r())) : Promise.resolve();
      for (const s of sockets) s.destroy();
      await closed;
      await crds.stop();
      await c.handler?.close();
    },
  };
  return c;
}

async function createIfMissing(handler: RegistryHandler, find: (g: string, v: string, p: string) => ResourceDef | undefined, secret: KObject): Promise<void> {
  const def = find('', 'v1', 'secrets');
  if (!def) return;
  try {
    await handler.create({ verb: 'create', def, namespace: bootstrapNamespace, body: secret, options: {} }, apiserverUser);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

// Create, or replace whatever is stored under that name (an unconditional update).
async function saveSecret(handler: RegistryHandler, find: (g: string, v: string, p: string) => ResourceDef | undefined, secret: KObject): Promise<void> {
  const def = find('', 'v1', 'secrets')!;
  const namespace = secret.metadata.namespace;
  try {
    await handler.create({ verb: 'create', def, namespace, body: secret, options: {} }, apiserverUser);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    await handler.update({ verb: 'update', def, namespace, name: secret.metadata.name!, body: secret, options: {} }, apiserverUser);
  }
}

async function bootstrapNamespaces(handler: RegistryHandler, find: (g: string, v: string, p: string) => ResourceDef | undefined): Promise<void> {
  const def = find('', 'v1', 'namespaces');
  if (!def) return;
  const system = { name: 'system:apiserver', groups: ['system:masters'] };
  for (const name of systemNamespaces) {
    try {
      await handler.create({ verb: 'create', def, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, options: {} }, system);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
