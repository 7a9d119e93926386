import type { core } from '../../api/types/index.ts';
import type { ContainerRuntime } from '../runtime/index.ts';
import type { RestartBackoff } from './backoff.ts';
import type { PodDnsContext } from './dns-config.ts';
import type { PodEvent } from './images.ts';
import type { IpAllocator } from './ip-allocator.ts';
import type { PodRef } from './labels.ts';
import type { ServiceAccountTokens } from './service-account-tokens.ts';
import type { VolumeContext } from './volumes.ts';

/** Readiness, startup and liveness verdicts, kept by the agent's probe loop. */
export interface Health {
  ready(uid: string, container: string, containerId: string): boolean | undefined;
  started(uid: string, container: string, containerId: string): boolean | undefined;
  /** True once liveness (or startup) has failed for this container instance. */
  mustRestart(uid: string, container: string, containerId: string): string | undefined;
}

/** Everything a pod sync needs from the agent around it. One per agent, shared by all pods. */
export interface SyncDeps {
  runtime: ContainerRuntime;
  node: string;
  /** The agent's bridge network. */
  network: string;
  ips: IpAllocator;
  /** `<data-dir>/agent/pods`: one directory per pod uid. */
  podsDir: string;
  sources: Omit<VolumeContext, 'podDir' | 'podIP'>;
  /** Projected service-account tokens; without it such volumes fail to mount. */
  tokens?: ServiceAccountTokens;
  /** Cluster DNS settings; without them containers keep the engine's resolv.conf. */
  dns?: PodDnsContext;
  crashBackoff: RestartBackoff;
  pullBackoff: RestartBackoff;
  health?: Health;
  emit(pod: core.Pod, e: PodEvent, container?: string): void;
  now(): number;
}

/** One pod during one sync. */
export interface PodContext {
  pod: core.Pod;
  ref: PodRef;
  deps: SyncDeps;
  dir: string;
  sandboxId: string;
  podIP?: string;
  volumes: Map<string, string>;
  /** Host path of the pod's resolv.conf, mounted at /etc/resolv.conf. */
  resolvConf?: string;
}
