/**
 * Labels on every container the agent creates. They are the agent's memory: a restarted agent
 * finds its pods' containers by them and adopts them (DESIGN.md §6), and `skiff killall` finds
 * everything of a node by `skiff.io/node`. Keys follow the kubelet's dockershim ones.
 */
export const podUidLabel = 'io.kubernetes.pod.uid';
export const podNameLabel = 'io.kubernetes.pod.name';
export const podNamespaceLabel = 'io.kubernetes.pod.namespace';
export const containerNameLabel = 'io.kubernetes.container.name';
export const restartCountLabel = 'skiff.io/restart-count';
/** `sandbox` for a pod's sandbox, `init`, `app` or `ephemeral` for its containers. */
export const containerKindLabel = 'skiff.io/container-kind';
export const nodeLabel = 'skiff.io/node';
/** Hash of the container spec it was created from: a changed spec means a new container. */
export const specHashLabel = 'skiff.io/spec-hash';

export type ContainerKind = 'sandbox' | 'init' | 'app' | 'ephemeral';

export interface PodRef {
  uid: string;
  name: string;
  namespace: string;
}

export function containerLabels(node: string, pod: PodRef, kind: ContainerKind, container?: { name: string; restartCount: number; specHash: string }): Record<string, string> {
  return {
    [nodeLabel]: node,
    [podUidLabel]: pod.uid,
    [podNameLabel]: pod.name,
    [podNamespaceLabel]: pod.namespace,
    [containerKindLabel]: kind,
    ...(container ? { [containerNameLabel]: container.name, [restartCountLabel]: String(container.restartCount), [specHashLabel]: container.specHash } : {}),
  };
}

/**
 * Docker container names: unique per node and readable in `docker ps`, like the kubelet's
 * `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`.
 */
export function containerName(pod: PodRef, container: string, restartCount: number): string {
  return `k8s_${container}_${pod.name}_${pod.namespace}_${pod.uid}_${restartCount}`;
}

export function sandboxName(pod: PodRef): string {
  return `k8s_POD_${pod.name}_${pod.namespace}_${pod.uid}_0`;
}
