import type { ApiHandler, UserInfo } from '../request.ts';
import type { ResourceDef } from '../resource.ts';
import { badRequest } from '../status.ts';
import type { core, KObject } from '../types/index.ts';

export type Pod = core.Pod & KObject;

/** Reads the pod as `user` (so authorization and 404 are the registry's). */
export async function readPod(handler: ApiHandler, def: ResourceDef, namespace: string | undefined, name: string, user: UserInfo): Promise<Pod> {
  return (await handler.get({ verb: 'get', def, namespace, name }, user)) as Pod;
}

/**
 * The container a log request means, as upstream's LogLocation: the named one (which must exist
 * among init, app and ephemeral containers), else the only one; names all when there are more.
 */
export function logContainer(pod: Pod, container: string | null): string {
  const spec = pod.spec!;
  const name = pod.metadata.name!;
  if (container) {
    if (!allContainers(pod).includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
    return container;
  }
  if (spec.containers.length === 1) return spec.containers[0]!.name;
  if (spec.containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${allContainers(pod).join(' ')}]`);
}

/** The container an exec or attach means, as upstream's streamLocation words it. */
export function execContainer(pod: Pod, container: string | null): string {
  const spec = pod.spec!;
  const name = pod.metadata.name!;
  if (container) {
    if (!allContainers(pod).includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
    return container;
  }
  if (spec.containers.length === 1) return spec.containers[0]!.name;
  if (spec.containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  const init = (spec.initContainers ?? []).map((c) => c.name);
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${spec.containers.map((c) => c.name).join(' ')}]${init.length ? ` or one of the init containers: [${init.join(' ')}]` : ''}`);
}

/** Upstream: exec, attach and port-forward need a node; logs of an unbound pod are empty. */
export function nodeOf(pod: Pod): string {
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  return node;
}

function allContainers(pod: Pod): string[] {
  const s = pod.spec!;
  return [...(s.initContainers ?? []), ...s.containers, ...(s.ephemeralContainers ?? [])].map((c) => c.name);
}

function statusOf(pod: Pod, container: string): core.ContainerStatus | undefined {
  const st = pod.status;
  return [...(st?.initContainerStatuses ?? []), ...(st?.containerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
}

const runtimeId = (id: string | undefined) => id?.replace(/^[a-z]+:\/\//, '') || undefined;

/**
 * The container whose log is read, by the kubelet's rules (validateContainerLogStatus) on the
 * pod's status: `previous` is the last terminated one; otherwise the running one, else the one
 * that terminated last; errors are the kubelet's 400s, word for word.
 */
export function logContainerId(pod: Pod, container: string, previous: boolean): string {
  const podName = pod.metadata.name!;
  const s = statusOf(pod, container);
  const last = s?.lastState?.terminated;
  const state = s?.state;
  if (previous) {
    const id = runtimeId(last?.containerID);
    if (!id) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    return id;
  }
  if (state?.running) {
    const id = runtimeId(s?.containerID);
    if (id) return id;
  }
  if (state?.terminated) {
    const id = runtimeId(state.terminated.containerID) ?? runtimeId(last?.containerID);
    if (!id) throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return id;
  }
  if (last) {
    const id = runtimeId(last.containerID);
    if (!id) throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return id;
  }
  const reason = state?.waiting?.reason;
  if (reason === 'ErrImagePull') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
  if (reason) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  throw badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** The running container an exec or attach enters (the kubelet finds it among running ones). */
export function runningContainerId(pod: Pod, container: string): string {
  const s = statusOf(pod, container);
  const id = s?.state?.running ? runtimeId(s.containerID) : undefined;
  if (!id) throw badRequest(`container not found ("${container}")`);
  return id;
}
