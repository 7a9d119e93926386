import { createHash } from 'node:crypto';
import { quantityMilli, quantityValue } from '../../api/quantity.ts';
import type { core } from '../../api/types/index.ts';
import type { ContainerSpec, Mount, NetworkMode } from '../runtime/index.ts';
import { expand } from './env.ts';
import { containerLabels, containerName, sandboxName, type ContainerKind, type PodRef } from './labels.ts';

type Pod = core.Pod;
type Container = core.Container;

export const podRef = (pod: Pod): PodRef => ({ uid: pod.metadata?.uid ?? '', name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default' });

export interface SandboxContext {
  node: string;
  pauseImage: string;
  /** The agent's bridge network and the address chosen for this pod (ignored for hostNetwork). */
  network: string;
  ip?: string;
  dns?: ContainerSpec['dns'];
}

/** The sandbox: holds the pod's network namespace (and hostname, DNS, hosts) for its containers. */
export function sandboxSpec(pod: Pod, ctx: SandboxContext): ContainerSpec {
  const ref = podRef(pod);
  const hostNetwork = pod.spec?.hostNetwork === true;
  const network: NetworkMode = hostNetwork ? { kind: 'host' } : { kind: 'bridge', network: ctx.network, ip: ctx.ip };
  return {
    name: sandboxName(ref),
    image: ctx.pauseImage,
    cmd: ['/pause'],
    labels: containerLabels(ctx.node, ref, 'sandbox'),
    network,
    sandbox: true,
    ...(pod.spec?.hostIPC ? { hostIPC: true } : {}),
    hostname: hostNetwork ? undefined : podHostname(pod),
    dns: ctx.dns,
    extraHosts: (pod.spec?.hostAliases ?? []).flatMap((a) => (a.hostnames ?? []).map((h) => `${h}:${a.ip}`)),
    hostPorts: (pod.spec?.containers ?? []).flatMap(hostPorts),
  };
}

/** Upstream: spec.hostname, else the pod name, cut to 63 characters. */
export function podHostname(pod: Pod): string {
  return (pod.spec?.hostname ?? pod.metadata?.name ?? '').slice(0, 63);
}

export interface ContainerContext {
  node: string;
  sandboxId: string;
  kind: Exclude<ContainerKind, 'sandbox'>;
  restartCount: number;
  env: Record<string, string>;
  mounts: Mount[];
  tmpfs?: Record<string, string>;
  /** Whose PID namespace to join (an ephemeral container's target). */
  pidContainer?: string;
}

/** One spec container of `pod`, joined to its sandbox. */
export function containerSpec(pod: Pod, c: Container, ctx: ContainerContext): ContainerSpec {
  const ref = podRef(pod);
  const sc = { ...pod.spec?.securityContext, ...c.securityContext } as core.SecurityContext & core.PodSecurityContext;
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const cpuLimit = limits.cpu ?? undefined;
  const cpuRequest = requests.cpu ?? cpuLimit;
  return {
    name: containerName(ref, c.name, ctx.restartCount),
    image: c.image ?? '',
    // command and args expand $(VAR) from the container's environment, as env values do.
    entrypoint: c.command?.length ? c.command.map((a) => expand(a, ctx.env)) : undefined,
    cmd: c.args?.length ? c.args.map((a) => expand(a, ctx.env)) : c.command?.length ? [] : undefined,
    env: ctx.env,
    workingDir: c.workingDir,
    labels: containerLabels(ctx.node, ref, ctx.kind, { name: c.name, restartCount: ctx.restartCount, specHash: specHash(c) }),
    network: { kind: 'container', id: ctx.sandboxId },
    // An ephemeral container's target, else the sandbox's (its pause process is PID 1 and reaps) when the pod shares one.
    ...((ctx.pidContainer ?? pod.spec?.shareProcessNamespace) ? { pidContainer: ctx.pidContainer ?? ctx.sandboxId } : {}),
    ...(pod.spec?.hostPID ? { hostPID: true } : {}),
    ...(pod.spec?.hostIPC ? { hostIPC: true } : {}),
    mounts: ctx.mounts,
    tmpfs: ctx.tmpfs,
    ...cpuQuota(cpuLimit),
    // The kubelet's milliCPU → shares: 1024 per core, at least 2.
    cpuShares: cpuRequest !== undefined ? Math.max(2, Math.floor((quantityMilli(cpuRequest) * 1024) / 1000)) : undefined,
    memoryBytes: limits.memory !== undefined ? quantityValue(limits.memory) : undefined,
    user: userOf(sc),
    privileged: sc.privileged ?? false,
    readOnlyRootfs: sc.readOnlyRootFilesystem ?? false,
    capAdd: sc.capabilities?.add,
    capDrop: sc.capabilities?.drop,
    tty: c.tty ?? false,
    stdin: c.stdin ?? false,
    stdinOnce: (c.stdin ?? false) && (c.stdinOnce ?? false),
  };
}

/**
 * Hash of what a container was created from. The kubelet restarts a container whose spec changed
 * (only image can change on a live pod); comparing this label finds such containers.
 */
export function specHash(c: Container): string {
  return createHash('sha256').update(JSON.stringify({ image: c.image, command: c.command, args: c.args })).digest('hex').slice(0, 16);
}

function userOf(sc: core.SecurityContext & core.PodSecurityContext): string | undefined {
  if (sc.runAsUser === undefined) return sc.runAsGroup === undefined ? undefined : `0:${sc.runAsGroup}`;
  return sc.runAsGroup === undefined ? String(sc.runAsUser) : `${sc.runAsUser}:${sc.runAsGroup}`;
}

function hostPorts(c: Container): NonNullable<ContainerSpec['hostPorts']> {
  return (c.ports ?? []).filter((p) => p.hostPort).map((p) => ({
    containerPort: p.containerPort,
    hostPort: p.hostPort!,
    protocol: (p.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp' | 'sctp',
    hostIp: p.hostIP,
  }));
}

const CPU_PERIOD_MICROS = 100_000;

/** kubelet's milliCPUToQuota: no limit for 0, else millicores × period / 1000, at least 1 ms. */
function cpuQuota(limit: string | number | undefined): { cpuPeriod?: number; cpuQuota?: number } {
  const milli = limit !== undefined ? quantityMilli(limit) : 0;
  if (milli <= 0) return {};
  return { cpuPeriod: CPU_PERIOD_MICROS, cpuQuota: Math.max(1000, Math.floor((milli * CPU_PERIOD_MICROS) / 1000)) };
}
