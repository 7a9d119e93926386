import type { core } from '../../api/types/index.ts';
import { kubernetesVersion, skiffVersion } from '../../util/index.ts';
import type { MachineFacts } from './facts.ts';

/** Resources kept back from pods for the system and the agent, as a kubelet's reservations. */
const reservedMemory = 256 * 2 ** 20;
const evictionHardMemory = 100 * 2 ** 20;
export const maxPods = 110;

/** Upstream's thresholds for the pressure conditions (eviction-hard defaults). */
const memoryPressureBelow = 100 * 2 ** 20;
const diskPressureBelowFraction = 0.1;
const pidPressureAboveFraction = 0.95;

/** The Node object an agent registers: labels, capacity, addresses, nodeInfo. */
export function nodeObject(name: string, facts: MachineFacts, opts: { labels?: Record<string, string>; taints?: core.Taint[]; podCIDR?: string } = {}): core.Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': facts.architecture,
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': facts.architecture,
        ...opts.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { ...(opts.podCIDR ? { podCIDR: opts.podCIDR, podCIDRs: [opts.podCIDR] } : {}), ...(opts.taints?.length ? { taints: opts.taints } : {}) },
  };
}

/**
 * The node's status at `now` (capacity, allocatable, conditions, addresses, nodeInfo). Condition
 * transition times are kept from `previous` while a condition's status does not change;
 * heartbeat times are always `now`.
 */
export function nodeStatus(facts: MachineFacts, runtimeVersion: string, now: Date, previous?: core.NodeStatus, images?: core.ContainerImage[]): core.NodeStatus {
  const t = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const cond = (type: string, ok: boolean, reason: string, message: string): core.NodeCondition => {
    const status = type === 'Ready' ? (ok ? 'True' : 'False') : ok ? 'False' : 'True';
    const prev = previous?.conditions?.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: t, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : t, reason, message };
  };
  const memOk = facts.freeMemoryBytes >= memoryPressureBelow;
  const diskOk = facts.freeDiskBytes >= facts.diskBytes * diskPressureBelowFraction;
  const pidOk = facts.pids.used < facts.pids.max * pidPressureAboveFraction;
  const capacity = {
    cpu: String(facts.cpus),
    memory: `${Math.floor(facts.memoryBytes / 1024)}Ki`,
    pods: String(maxPods),
    'ephemeral-storage': `${Math.floor(facts.diskBytes / 1024)}Ki`,
  };
  const allocatable = {
    cpu: String(facts.cpus),
    memory: `${Math.max(0, Math.floor((facts.memoryBytes - reservedMemory - evictionHardMemory) / 1024))}Ki`,
    pods: String(maxPods),
    'ephemeral-storage': String(Math.floor(facts.diskBytes * (1 - diskPressureBelowFraction))),
  };
  return {
    capacity,
    allocatable,
    conditions: [
      cond('MemoryPressure', memOk, memOk ? 'KubeletHasSufficientMemory' : 'KubeletHasInsufficientMemory', memOk ? 'kubelet has sufficient memory available' : 'kubelet has insufficient memory available'),
      cond('DiskPressure', diskOk, diskOk ? 'KubeletHasNoDiskPressure' : 'KubeletHasDiskPressure', diskOk ? 'kubelet has no disk pressure' : 'kubelet has disk pressure'),
      cond('PIDPressure', pidOk, pidOk ? 'KubeletHasSufficientPID' : 'KubeletHasInsufficientPID', pidOk ? 'kubelet has sufficient PID available' : 'kubelet has insufficient PID available'),
      cond('Ready', true, 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [{ type: 'InternalIP', address: facts.internalIP }, { type: 'Hostname', address: facts.hostname }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: facts.machineID,
      systemUUID: facts.machineID,
      bootID: facts.bootID,
      kernelVersion: facts.kernelVersion,
      osImage: facts.osImage,
      containerRuntimeVersion: runtimeVersion,
      kubeletVersion: `${kubernetesVersion.gitVersion}+skiff${skiffVersion}`,
      kubeProxyVersion: `${kubernetesVersion.gitVersion}+skiff${skiffVersion}`,
      operatingSystem: 'linux',
      architecture: facts.architecture,
    },
    ...(images ? { images } : {}),
  };
}

/**
 * Whether `next` differs from `prev` in anything but heartbeat times: the agent posts status on
 * change and otherwise at least every 60 s (its Lease says it is alive in between).
 */
export function statusChanged(prev: core.NodeStatus | undefined, next: core.NodeStatus): boolean {
  if (!prev) return true;
  const strip = (s: core.NodeStatus) => JSON.stringify({ ...s, conditions: s.conditions?.map((c) => ({ ...c, lastHeartbeatTime: undefined })) });
  return strip(prev) !== strip(next);
}

/** The node's Lease in kube-node-lease, renewed every 10 s. */
export function nodeLease(node: string, nodeUid: string | undefined, now: Date): { apiVersion: string; kind: string; metadata: { name: string; namespace: string; ownerReferences?: object[] }; spec: object } {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node,
      namespace: 'kube-node-lease',
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: now.toISOString().replace('Z', '000Z') },
  };
}
