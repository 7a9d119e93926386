import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FlagValues } from './flags.ts';
import { dnsDomainFlag, ingressPorts, UsageError } from './flags.ts';
import { onShutdownSignals } from './signals.ts';
import { createLogger, runComponents, type LogLevel } from '../pkg/util/index.ts';
import { readKubeconfig, type KubeconfigCredentials } from '../pkg/api/auth/index.ts';
import { nodeCredentials, nodeKubeconfigFile } from '../pkg/agent/join.ts';
import { httpsClient } from '../pkg/api/client/index.ts';
import { nodeAgent } from '../pkg/agent/agent.ts';
import { DockerRuntime } from '../pkg/agent/runtime/index.ts';
import { streamServer } from '../pkg/agent/stream/index.ts';
import { agentTunnel } from '../pkg/agent/tunnel/index.ts';
import { metricsCollector } from '../pkg/agent/metrics/index.ts';
import type { ProxyMode } from '../pkg/agent/proxy/index.ts';

/**
 * `skiff agent`: this machine as a node of a cluster whose server runs elsewhere. It joins with a
 * join token (--server, --token) once and then reuses the node credentials kept in
 * <data-dir>/agent; or it uses a kubeconfig given with --kubeconfig.
 */
export async function run(flags: FlagValues): Promise<number> {
  const kubeconfig = flags.kubeconfig as string | undefined;
  const server = flags.server as string | undefined;
  const token = flags.token as string | undefined;
  const nodeName = flags['node-name'] as string;
  const dataDir = flags['data-dir'] as string;
  const log = createLogger(flags['log-level'] as LogLevel);
  let creds: KubeconfigCredentials;
  if (kubeconfig) {
    creds = { ...readKubeconfig(kubeconfig), ...(server && { server }) };
  } else {
    if (!token && !existsSync(join(dataDir, 'agent', nodeKubeconfigFile))) {
      throw new UsageError('--server URL --token TOKEN is required to join (the token is in the server\'s <data-dir>/server/node-token), or --kubeconfig FILE');
    }
    creds = await nodeCredentials({ server, token, nodeName, dir: join(dataDir, 'agent'), log });
  }
  const client = httpsClient(creds);
  const shutdown = onShutdownSignals(log);
  log.info('starting skiff agent', { server: creds.server, node: nodeName });
  const runtime = new DockerRuntime();
  const agentLog = log.child({ component: 'agent' });
  const metrics = metricsCollector({ runtime, nodeName, log: agentLog });
  try {
    await runComponents([
      nodeAgent({ client, runtime, nodeName, dataDir,
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
