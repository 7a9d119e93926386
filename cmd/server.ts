import { mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import { dnsDomainFlag, ingressPorts, UsageError, type FlagValues } from './flags.ts';
import { storeFile } from './paths.ts';
import { onShutdownSignals } from './signals.ts';
import { createLogger, runComponents, type Component, type Logger, type LogLevel } from '../pkg/util/index.ts';
import { openStore, type Store } from '../pkg/store/index.ts';
import { apiServer } from '../pkg/api/server/index.ts';
import { resources as builtInResources } from '../pkg/api/resources/index.ts';
import { inProcessClient, type Client } from '../pkg/api/client/index.ts';
import { controlLoops, cronJobController, daemonSetController, deploymentController, endpointsController, serviceLbController, ingressController, garbageCollector, jobController, namespaceController, nodeIpam, nodeLifecycle, replicaSetController, serviceAccountController, rootCaPublisher, tokenCleaner, systemPriorityClassesBootstrap, nodePasswordCleaner, statefulSetController, horizontalPodAutoscalerController, persistentVolumeController, defaultStorageClass, storageProtectionController, disruptionController, resourceQuotaController } from '../pkg/controllers/index.ts';
import { scheduler } from '../pkg/scheduler/index.ts';
import { nodeAgent } from '../pkg/agent/agent.ts';
import { DockerRuntime } from '../pkg/agent/runtime/index.ts';
import { streamServer } from '../pkg/agent/stream/index.ts';
import { agentTunnel } from '../pkg/agent/tunnel/index.ts';
import { metricsCollector } from '../pkg/agent/metrics/index.ts';
import type { ProxyMode } from '../pkg/agent/proxy/index.ts';
import { readKubeconfig } from '../pkg/api/auth/index.ts';
import { serviceRanges } from '../pkg/api/services/index.ts';

/** What the user asked `skiff server` for. Runtime state lives on components, never here. */
export interface ServerConfig {
  dataDir: string;
  httpsListenPort: number;
  bindAddress: string;
  writeKubeconfig?: string;
  /** Extra names and IPs of the serving certificate (--tls-san). */
  tlsSan: string[];
  nodeName: string;
  disableAgent: boolean;
  clusterCidr: string;
  serviceCidr: string;
  serviceNodePortRange: string;
  clusterDomain: string;
  resolvConf: string;
  proxyMode: ProxyMode;
  /** Host ports of the node's ingress proxy; undefined: disabled. */
  ingress?: { httpPort: number; httpsPort: number };
  unreachableTolerationSeconds: number;
  notReadyTolerationSeconds: number;
  logLevel: LogLevel;
}

export function serverConfig(f: FlagValues): ServerConfig {
  return {
    dataDir: f['data-dir'] as string,
    httpsListenPort: f['https-listen-port'] as number,
    bindAddress: f['bind-address'] as string,
    writeKubeconfig: f['write-kubeconfig'] as string | undefined,
    tlsSan: tlsSanFlag(f),
    nodeName: f['node-name'] as string,
    disableAgent: f['disable-agent'] as boolean,
    clusterCidr: f['cluster-cidr'] as string,
    serviceCidr: f['service-cidr'] as string,
    serviceNodePortRange: f['service-node-port-range'] as string,
    clusterDomain: dnsDomainFlag(f, 'cluster-domain'),
    resolvConf: f['resolv-conf'] as string,
    proxyMode: f['proxy-mode'] as ProxyMode,
    ingress: ingressPorts(f),
    unreachableTolerationSeconds: f['default-unreachable-toleration-seconds'] as number,
    notReadyTolerationSeconds: f['default-not-ready-toleration-seconds'] as number,
    logLevel: f['log-level'] as LogLevel,
  };
}

// Node heartbeats and events change constantly and matter only while the cluster runs: they live
// in memory so that an idle cluster does not write to its disk (DESIGN.md §3).
export const volatilePrefixes = ['/registry/coordination.k8s.io/leases/', '/registry/core/events/'];

export async function run(flags: FlagValues): Promise<number> {
  const config = serverConfig(flags);
  const log = createLogger(config.logLevel);
  const shutdown = onShutdownSignals(log);
  log.info('starting skiff server', { dataDir: config.dataDir, node: config.nodeName });
  // Bad ranges stop the server before anything starts.
  const ranges = serviceRanges(config.serviceCidr, config.serviceNodePortRange);
  const store = storeComponent(config, log);
  // This server's live resource table: established CRDs add their kinds to it (pkg/api/crd).
  const resources = [...builtInResources];
  const api = apiServer({
    dataDir: config.dataDir, port: config.httpsListenPort, bindAddress: config.bindAddress, writeKubeconfig: config.writeKubeconfig,
    ...localAddresses(config.tlsSan), resources, store: () => store.store!, log: log.child({ component: 'api' }), serviceRanges: ranges,
    serviceAccountIssuer: `https://kubernetes.default.svc.${config.clusterDomain}`,
  });
  // In-process components talk to the API without HTTP (DESIGN.md §1), once it has started.
  let client: Client | undefined;
  const inProcess = () => (client ??= inProcessClient(api.handler!, resources));
  const components: Component[] = [store, api, controlLoops(inProcess, [
    (c, inf, l) => nodeIpam(c, inf, config.clusterCidr, l.child({ controller: 'node-ipam' })),
    (c, inf, l) => scheduler(c, inf, l.child({ controller: 'scheduler' })),
    (c, inf, l) => replicaSetController(c, inf, l.child({ controller: 'replicaset' })),
    (c, inf, l) => deploymentController(c, inf, l.child({ controller: 'deployment' })),
    (c, inf, l) => jobController(c, inf, l.child({ controller: 'job' })),
    (c, inf, l) => cronJobController(c, inf, l.child({ controller: 'cronjob' })),
    (c, inf, l) => daemonSetController(c, inf, l.child({ controller: 'daemonset' })),
    (c, inf, l) => statefulSetController(c, inf, l.child({ controller: 'statefulset' })),
    (c, inf, l) => horizontalPodAutoscalerController(c, inf, resources, l.child({ controller: 'horizontal-pod-autoscaler' })),
    (c, _inf, l) => defaultStorageClass(c, l.child({ controller: 'local-path' })),
    (c, inf, l) => persistentVolumeController(c, inf, l.child({ controller: 'persistentvolume-binder' })),
    (c, inf, l) => storageProtectionController(c, inf, l.child({ controller: 'storage-protection' })),
    (c, inf, l) => garbageCollector(c, inf, l.child({ controller: 'garbage-collector' })),
    (c, inf, l) => namespaceController(c, inf, resources, l.child({ controller: 'namespace' })),
    (c, inf, l) => serviceAccountController(c, inf, l.child({ controller: 'serviceaccount' })),
    (c, inf, l) => rootCaPublisher(c, inf, () => api.caCert!, l.child({ controller: 'root-ca-cert-publisher' })),
    (c, inf, l) => tokenCleaner(c, inf, l.child({ controller: 'token-cleaner' })),
    (c, inf, l) => systemPriorityClassesBootstrap(c, inf, l.child({ controller: 'system-priority-classes' })),
    (c, inf, l) => nodePasswordCleaner(c, inf, l.child({ controller: 'node-password-cleaner' })),
    (c, inf, l) => endpointsController(c, inf, l.child({ controller: 'endpoints' })),
    (c, inf, l) => disruptionController(c, inf, l.child({ controller: 'disruption' })),
    (c, inf, l) => resourceQuotaController(c, inf, l.child({ controller: 'resourcequota' })),
    (c, inf, l) => serviceLbController(c, inf, l.child({ controller: 'service-lb' })),
    (c, inf, l) => ingressController(c, inf, l.child({ controller: 'ingress' })),
    (c, inf, l) => nodeLifecycle(c, inf, l.child({ controller: 'node-lifecycle' }), {
      defaultTolerationSeconds: config.unreachableTolerationSeconds, defaultNotReadyTolerationSeconds: config.notReadyTolerationSeconds,
    }),
  ], log.child({ component: 'control-loops' }))];
  if (!config.disableAgent) {
    const runtime = new DockerRuntime();
    const agentLog = log.child({ component: 'agent' });
    components.push(lazy('agent', () => nodeAgent({
      client: inProcess(), runtime, nodeName: config.nodeName, dataDir: config.dataDir,
      labels: { 'node-role.kubernetes.io/control-plane': 'true' }, clusterDomain: config.clusterDomain, resolvConf: config.resolvConf, proxyMode: config.proxyMode, ingress: config.ingress, log: agentLog,
    })));
    const metrics = metricsCollector({ runtime, nodeName: config.nodeName, log: agentLog });
    components.push(metrics);
    // The server's own agent reaches the API's tunnel endpoint over loopback, as a remote one would.
    components.push(lazy('agent-tunnel', () => agentTunnel({
      credentials: readKubeconfig(api.kubeconfigPath!), nodeName: config.nodeName, log: agentLog,
      onStream: streamServer({ runtime, node: config.nodeName, log: agentLog, metrics: metrics.summary }),
    })));
  }
  await runComponents(components, shutdown.signal, log);
  shutdown.dispose();
  log.info('skiff server stopped');
  return 0;
}

/** --tls-san: comma-separated IPs and DNS names (lowercase RFC 1123, as certificates hold them). */
export function tlsSanFlag(f: FlagValues): string[] {
  const values = String(f['tls-san'] ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  for (const v of values) {
    if (!isIP(v) && (v.length > 253 || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/i.test(v))) {
      throw new UsageError(`--tls-san: "${v}" is neither an IP address nor a DNS name`);
    }
  }
  return values;
}

/** Names and addresses this machine is reached by (plus --tls-san), for the serving certificate's SANs. */
function localAddresses(tlsSan: string[]): { hostnames: string[]; ips: string[] } {
  const ips = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal).map((a) => a!.address);
  // servingSans sorts --tls-san entries into names and IPs.
  return { hostnames: [hostname().toLowerCase(), ...tlsSan], ips };
}

/** A component made only when it starts (it needs what earlier components provide). */
function lazy(name: string, make: () => Component): Component {
  let c: Component | undefined;
  return {
    name,
    start: (signal) => (c = make()).start(signal),
    stop: async () => c?.stop?.(),
  };
}

function storeComponent(config: ServerConfig, log: Logger): Component & { store?: Store } {
  const c: Component & { store?: Store } = {
    name: 'store',
    async start() {
      const file = storeFile(config.dataDir);
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      c.store = await openStore(`sqlite:${file}`, { volatilePrefixes, logger: log.child({ component: 'store' }) });
    },
    async stop() {
      await c.store?.close();
    },
  };
  return c;
}
