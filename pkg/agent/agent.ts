import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInformerFactory, EventRecorder, type Client, type InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { clusterDns, hostDns, type DnsServer } from './dns/index.ts';
import { importImagesDir } from './images-dir.ts';
import { localVolumes } from './local-volumes.ts';
import { primaryAddress } from './node/facts.ts';
import { serviceProxy, type ProxyMode, type ServiceProxy } from './proxy/index.ts';
import { ingressProxy, type IngressProxy } from './ingress/index.ts';
import { NodeLoop } from './node-loop.ts';
import { RestartBackoff } from './pod/backoff.ts';
import { IpAllocator } from './pod/ip-allocator.ts';
import { killPod } from './pod/kill.ts';
import { containerKindLabel, nodeLabel, podUidLabel } from './pod/labels.ts';
import type { SyncDeps } from './pod/pod-context.ts';
import { podStatus } from './pod/status.ts';
import { syncPod } from './pod/sync.ts';
import { ServiceAccountTokens } from './pod/service-account-tokens.ts';
import { PodWorkers } from './pod-workers.ts';
import { ProbeManager } from './probe-manager.ts';
import type { ContainerRuntime } from './runtime/index.ts';

type Pod = core.Pod & KObject;

export interface AgentConfig {
  client: Client;
  runtime: ContainerRuntime;
  nodeName: string;
  dataDir: string;
  log: Logger;
  /** Extra node labels (the server's own agent marks itself control-plane). */
  labels?: Record<string, string>;
  /** How often running containers are relisted to notice exits (the kubelet's PLEG period). */
  relistMs?: number;
  /** The cluster DNS domain (the kubelet's --cluster-domain); cluster.local by default. */
  clusterDomain?: string;
  /** The host's resolver configuration (the kubelet's --resolv-conf); /etc/resolv.conf by default. */
  resolvConf?: string;
  /** How services are proxied (kube-proxy's --proxy-mode): auto picks iptables when it runs. */
  proxyMode?: ProxyMode;
  /** Host ports of the node's ingress proxy; without it, this node serves no Ingress traffic. */
  ingress?: { httpPort: number; httpsPort: number };
}

/** The Docker network and Linux bridge of a node; per node, so two agents can share one engine. */
export function nodeNetwork(node: string): { name: string; bridge: string } {
  const h = createHash('sha256').update(node).digest('hex').slice(0, 8);
  return { name: `skiff-${node}`.slice(0, 60), bridge: `skiff${h}` };
}

/**
 * The node agent (DESIGN.md §6): registers the Node, keeps its Lease and status, and runs the
 * pods bound to it on the container runtime: one serialized sync per pod, triggered by the pod
 * informer, by probe verdicts, by back-off timers, and by a relist of containers that notices
 * exits. Stopping the agent leaves pods running; the next start adopts them.
 */
export function nodeAgent(cfg: AgentConfig): Component {
  const log = cfg.log;
  let informers: InformerFactory | undefined;
  let workers: PodWorkers | undefined;
  let probes: ProbeManager | undefined;
  let nodeLoop: NodeLoop | undefined;
  let relist: NodeJS.Timeout | undefined;
  let dnsServer: DnsServer | undefined;
  let proxy: ServiceProxy | undefined;
  let ingress: IngressProxy | undefined;
  const pods = new Map<string, Pod>(); // by uid, from the informer
  const known = new Map<string, Pod>(); // last state seen per uid, kept after deletion for cleanup
  const posted = new Map<string, string>(); // uid → JSON of the status last written

  return {
    name: 'agent',
    async start(signal) {
      mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
      await cfg.runtime.ping();
      await importImagesDir(cfg.runtime, cfg.dataDir, log);
      const runtimeVersion = await cfg.runtime.version();
      nodeLoop = new NodeLoop(cfg.client, cfg.nodeName, cfg.dataDir, runtimeVersion, cfg.labels ?? {}, log);
      await nodeLoop.register();
      nodeLoop.start();
      const podCIDR = await nodeLoop.waitForPodCIDR(signal);
      const ips = new IpAllocator(podCIDR);
      // Addresses of sandboxes left running by the previous agent are taken before any pod syncs:
      // a new pod must not get one of them before the pod owning it is adopted.
      for (const c of await cfg.runtime.listContainers({ [nodeLabel]: cfg.nodeName, [containerKindLabel]: 'sandbox' })) {
        if (c.state === 'running' && c.ip) ips.claim(c.ip, c.labels[podUidLabel] ?? c.id);
      }
      const net = nodeNetwork(cfg.nodeName);
      await cfg.runtime.ensureNetwork({ name: net.name, subnet: podCIDR, gateway: ips.gateway, bridge: net.bridge, labels: { [nodeLabel]: cfg.nodeName } });

      informers = createInformerFactory(cfg.client, { log });
      const podInformer = informers.informer<Pod>('v1', 'pods', { fieldSelector: `spec.nodeName=${cfg.nodeName}` });
      const configMaps = informers.informer('v1', 'configmaps');
      const secrets = informers.informer('v1', 'secrets');
      const storage = localVolumes({ client: cfg.client, informers, nodeName: cfg.nodeName, dataDir: cfg.dataDir, log: log.child({ module: 'local-path' }) });
      const events = new EventRecorder(cfg.client, { component: 'kubelet', host: cfg.nodeName }, log);
      const hostIP = primaryAddress();
      // The node's DNS listens on its bridge's gateway: unique per node, reachable from its pods.
      const zone = cfg.clusterDomain ?? 'cluster.local';
      const host = hostDns(cfg.resolvConf);
      const dns = clusterDns({ informers, address: ips.gateway, zone, host, log: log.child({ module: 'dns' }), signal });
      proxy = serviceProxy({ informers, nodeName: cfg.nodeName, bridge: net.bridge, podCIDR, mode: cfg.proxyMode, log: log.child({ module: 'proxy' }) });
      if (cfg.ingress) ingress = ingressProxy({ informers, ...cfg.ingress, log: log.child({ module: 'ingress' }) });
      const allocatable = { cpu: cpus().length, memory: totalmem() };

      probes = new ProbeManager(cfg.runtime, (pod, e, c) => events.record(pod, e, c), (uid) => workers?.schedule(uid));
      const tokens = new ServiceAccountTokens(
        (ns, sa, body) => cfg.client.resource('v1', 'serviceaccounts').createSubresource(ns, sa, 'token', body),
        (uid, ms) => workers?.schedule(uid, ms),
      );
      const deps: SyncDeps = {
        runtime: cfg.runtime, node: cfg.nodeName, network: net.name, ips, podsDir: join(cfg.dataDir, 'agent', 'pods'),
        sources: {
          configMap: (ns, name) => configMaps.get(`${ns}/${name}`) as { data?: Record<string, string> } | undefined,
          secret: (ns, name) => secrets.get(`${ns}/${name}`) as { data?: Record<string, string> } | undefined,
          nodeName: cfg.nodeName, hostIP, allocatable, claimPath: storage.claimPath,
          serviceAccountToken: (pod, audience, seconds) => tokens.token(pod, audience, seconds),
        },
        tokens,
        dns: { clusterDomain: zone, nameserver: ips.gateway, host },
        crashBackoff: new RestartBackoff(), pullBackoff: new RestartBackoff(), health: probes,
        emit: (pod, e, c) => events.record(pod, e, c),
        now: Date.now,
      };
      workers = new PodWorkers((uid) => syncOne(uid, deps), (uid, err) => {
        log.warn('pod sync failed; retrying', { uid, err: (err as Error).message });
        workers?.schedule(uid, 2_000);
      });

      const seen = (p: Pod) => {
        const uid = p.metadata.uid!;
        pods.set(uid, p);
        known.set(uid, p);
        workers!.schedule(uid);
      };
      podInformer.onAdd(seen);
      podInformer.onUpdate((_o, p) => seen(p));
      podInformer.onDelete((p) => {
        pods.delete(p.metadata.uid!);
        workers!.schedule(p.metadata.uid!);
      });
      // A changed configMap or secret refreshes the volumes and env of pods in its namespace.
      const touch = (o: KObject) => {
        for (const p of pods.values()) if (p.metadata.namespace === o.metadata.namespace) workers!.schedule(p.metadata.uid!);
      };
      for (const inf of [configMaps, secrets]) {
        inf.onUpdate((_o, n) => touch(n));
        inf.onAdd(touch);
      }
      informers.start();
      await informers.waitForSync(signal);
      await storage.start();
      dnsServer = await dns.listen();
      await proxy.start(signal);
      await ingress?.start(signal);

      // The kubelet's PLEG: relist containers, sync pods whose containers changed, clean orphans.
      let fingerprint = new Map<string, string>();
      const relistOnce = async () => {
        const all = await cfg.runtime.listContainers({ [nodeLabel]: cfg.nodeName });
        const next = new Map<string, string>();
        for (const c of all) {
          const uid = c.labels[podUidLabel];
          if (!uid) continue;
          next.set(uid, `${next.get(uid) ?? ''}${c.id}:${c.state};`);
        }
        for (const [uid, fp] of next) if (fp !== fingerprint.get(uid) || !pods.has(uid)) workers!.schedule(uid);
        fingerprint = next;
      };
      const loop = () => {
        relist = setTimeout(() => void relistOnce().catch((err: unknown) => log.warn('relist failed', { err: (err as Error).message })).finally(() => {
          if (!signal.aborted) loop();
        }), cfg.relistMs ?? 1_000);
        relist.unref();
      };
      await relistOnce();
      loop();
      log.info('agent running', { node: cfg.nodeName, podCIDR, network: net.name });
    },
    async stop() {
      clearTimeout(relist);
      nodeLoop?.stop();
      probes?.stop();
      await workers?.stop();
      await informers?.stop();
      await dnsServer?.close();
      await proxy?.stop();
      await ingress?.stop();
    },
  };

  async function syncOne(uid: string, deps: SyncDeps): Promise<void> {
    const pod = pods.get(uid);
    if (!pod) {
      // Gone from the API (or never ours): stop and remove whatever still runs for it.
      await killPod(deps, uid, known.get(uid), 0);
      probes?.forget(uid);
      deps.tokens?.forget(uid);
      known.delete(uid);
      posted.delete(uid);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      await killPod(deps, uid, pod, grace);
      probes?.forget(uid);
      // The kubelet removes the object once its containers are gone (grace 0, same uid).
      try {
        await cfg.client.resource<Pod>('v1', 'pods').delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (err) {
        if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err;
      }
      return;
    }
    const r = await syncPod(pod, deps);
    const status = podStatus(pod, r.observation);
    const text = JSON.stringify(status);
    if (posted.get(uid) !== text) {
      try {
        await cfg.client.resource<Pod>('v1', 'pods').patch(pod.metadata.namespace, pod.metadata.name!, 'merge', { status }, { subresource: 'status' });
        posted.set(uid, text);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const running = Object.entries(r.observation.app).filter(([, o]) => o.current?.state === 'running').map(([name, o]) => ({ name, id: o.current!.id, startedAt: o.current!.startedAt }));
    probes?.track(pod, running, r.observation.podIP ?? deps.sources.hostIP);
    if (r.retryInMs !== undefined) workers?.schedule(uid, r.retryInMs);
  }
}
