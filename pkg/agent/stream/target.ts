import type { ContainerRef, PodRef } from '../../api/tunnel/index.ts';
import type { Status } from '../../api/types/index.ts';
import { containerKindLabel, containerNameLabel, nodeLabel, podUidLabel } from '../pod/labels.ts';
import type { ContainerRuntime, ContainerStatus } from '../runtime/index.ts';

/** A refusal the agent sends back as the stream's REPLY; the API server answers the client with it. */
export class Refusal extends Error {
  constructor(readonly status: Status & { code: number }) {
    super(status.message);
  }
}

export const refusal = (code: number, reason: string, message: string) =>
  new Refusal({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message });

/**
 * The container a request names, if it is that pod's container on this node: the API server is
 * trusted, but a stale status (the container replaced meanwhile) must not reach another pod.
 */
export async function findContainer(runtime: ContainerRuntime, node: string, t: ContainerRef): Promise<ContainerStatus> {
  const c = await runtime.inspectContainer(t.containerId);
  if (!c || c.labels[nodeLabel] !== node || c.labels[podUidLabel] !== t.uid || c.labels[containerNameLabel] !== t.container) {
    throw refusal(404, 'NotFound', `container "${t.container}" of pod "${t.name}" (id ${t.containerId.slice(0, 12)}) is not on node "${node}" any more`);
  }
  return c;
}

/** Where the pod's network namespace is reached from this host: its sandbox's IP, or loopback for hostNetwork pods. */
export async function podAddress(runtime: ContainerRuntime, node: string, pod: PodRef): Promise<string> {
  const sandboxes = await runtime.listContainers({ [nodeLabel]: node, [podUidLabel]: pod.uid, [containerKindLabel]: 'sandbox' });
  const running = sandboxes.find((s) => s.state === 'running');
  if (!running) throw refusal(400, 'BadRequest', `pod "${pod.name}" has no running sandbox on node "${node}"`);
  return running.ip ?? '127.0.0.1';
}
