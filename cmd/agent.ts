import type { FlagValues } from './flags.ts';
import { dnsDomainFlag, ingressPorts, UsageError } from './flags.ts';
import { onShutdownSignals } from './signals.ts';
import { createLogger, runComponents, type LogLevel } from '../pkg/util/index.ts';
import { readKubeconfig } from '../pkg/api/auth/index.ts';
import { httpsClient } from '../pkg/api/client/index.ts';
import { nodeAgent } from '../pkg/agent/agent.ts';
import { DockerRuntime } from '../pkg/agent/runtime/index.ts';
import { streamServer } from '../pkg/agent/stream/index.ts';
import { agentTunnel } from '../pkg/agent/tunnel/index.ts';
import { metricsCollector } from '../pkg/agent/metrics/index.ts';
import type { ProxyMode } from '../pkg/agent/proxy/index.ts';

/**
 * `skiff agent`: this machine as a node of a cluster whose server runs elsewhere. Until join
 * tokens exist, it authenticates with a kubeconfig copied from the server.
 */
export async function run(flags: FlagValues): Promise<number> {
  const kubeconfig = flags.kubeconfig as string | undefined;
  if (!kubeconfig) {
    throw new UsageError(flags.token
      ? '--token join is not available yet; pass --kubeconfig with a copy of the server\'s <data-dir>/server/admin.kubeconfig'
      : '--kubeconfig is required (a copy of the server\'s <data-dir>/server/admin.kubeconfig)');
  }
  const kc = readKubeconfig(kubeconfig);
  const creds = { ...kc, server: (flags.server as string | undefined) ?? kc.server };
  const client = httpsClient(creds);
  const log = createLogger(flags['log-level'] as LogLevel);
  const shutdown = onShutdownSignals(log);
  const nodeName = flags['node-name'] as string;
  log.info('starting skiff agent', { server: creds.server, node: nodeName });
  const runtime = new DockerRuntime();
  const agentLog = log.child({ component: 'agent' });
  const metrics = metricsCollector({ runtime, nodeName, log: agentLog });
  try {
    await runComponents([
      nodeAgent({ client, runtime, nodeName, dataDir: flags['data-dir'] as string,
        clusterDomain: dnsDomainFlag(flags, 'cluster-domain'), resolvConf: flags['resolv-conf'] as string,
        proxyMode: flags['proxy-mode'] as ProxyMode, ingress: ingressPorts(flags), log: agentLog }),
      metrics,
      // Logs, exec, attach, port-forward and metrics reach this node only through the tunnel it opens.
      agentTunnel({ credentials: creds, nodeName, log: agentLog, onStream: streamServer({ runtime, node: nodeName, log: agentLog, metrics: metrics.summary }) }),
    ], shutdown.signal, log);
  } finally {
    client.close();
    shutdown.dispose();
  }
  log.info('skiff agent stopped');
  return 0;
}
