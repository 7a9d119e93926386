import { join } from 'node:path';
import type { core } from '../../api/types/index.ts';
import type { ContainerStatus } from '../runtime/index.ts';
import { containerSpec } from './container-spec.ts';
import { ContainerConfigError, resolveEnv } from './env.ts';
import { runHook } from './hooks.ts';
import { ensureImage } from './images.ts';
import type { PodContext } from './pod-context.ts';
import { containerMounts, VolumeError } from './volumes.ts';

export type StartOutcome = { started: ContainerStatus } | { waiting: { reason: string; message?: string } };

/**
 * Creates and starts one container of a pod the way the kubelet does: image per pull policy,
 * environment, mounts, create, start, postStart hook; each step's events. A step that cannot
 * complete yet returns the waiting reason instead (ErrImagePull, CreateContainerConfigError, …).
 */
export async function startContainer(p: PodContext, c: core.Container, kind: 'init' | 'app' | 'ephemeral', restartCount: number, pidContainer?: string): Promise<StartOutcome> {
  const { pod, deps } = p;
  const key = `${p.ref.uid}/${c.name}`;
  const emit = (type: 'Normal' | 'Warning', reason: string, message: string) => deps.emit(pod, { type, reason, message }, c.name);

  const wait = await ensureImage(deps.runtime, c, deps.pullBackoff.remaining(key, deps.now()) > 0, (e) => deps.emit(pod, e, c.name), deps.now);
  if (wait) {
    if (wait.reason === 'ErrImagePull') deps.pullBackoff.failed(key, deps.now());
    return { waiting: wait };
  }
  deps.pullBackoff.forget(key);

  let env: Record<string, string>;
  let mounts;
  try {
    env = resolveEnv(pod, c, { ...deps.sources, podIP: p.podIP });
    mounts = containerMounts(pod, c, p.volumes, join(p.dir, 'containers', c.name, `${restartCount}-termination-log`));
    if (p.resolvConf && !mounts.some((m) => m.target === '/etc/resolv.conf')) mounts.push({ source: p.resolvConf, target: '/etc/resolv.conf' });
  } catch (err) {
    if (!(err instanceof ContainerConfigError) && !(err instanceof VolumeError)) throw err;
    emit('Warning', 'Failed', `Error: ${err.message}`);
    return { waiting: { reason: 'CreateContainerConfigError', message: err.message } };
  }

  const spec = containerSpec(pod, c, { node: deps.node, sandboxId: p.sandboxId, kind, restartCount, env, mounts, pidContainer });
  let id: string;
  try {
    id = await deps.runtime.createContainer(spec);
  } catch (err) {
    if (refused(err)) return { waiting: { reason: 'CreateContainerError', message: createError(emit, err).message } };
    if ((err as { statusCode?: number }).statusCode !== 409) throw createError(emit, err);
    // A container of that name left over by a crash: it is ours (same pod, same attempt).
    const stale = await deps.runtime.listContainers({ 'io.kubernetes.pod.uid': p.ref.uid, 'io.kubernetes.container.name': c.name, 'skiff.io/restart-count': String(restartCount) });
    for (const s of stale) await deps.runtime.removeContainer(s.id);
    try {
      id = await deps.runtime.createContainer(spec);
    } catch (e) {
      if (refused(e)) return { waiting: { reason: 'CreateContainerError', message: createError(emit, e).message } };
      throw createError(emit, e);
    }
  }
  emit('Normal', 'Created', `Created container: ${c.name}`);
  try {
    await deps.runtime.startContainer(id);
  } catch (err) {
    const msg = engineMessage(err);
    emit('Warning', 'Failed', `Error: failed to start container "${c.name}": ${msg}`);
    const after = await deps.runtime.inspectContainer(id);
    if (after) return { started: { ...after, state: 'exited', exitCode: after.exitCode ?? 128, error: msg } };
    return { waiting: { reason: 'RunContainerError', message: msg } };
  }
  emit('Normal', 'Started', `Started container ${c.name}`);

  if (c.lifecycle?.postStart) {
    const failure = await runHook(c.lifecycle.postStart, deps.runtime, id, c, p.podIP ?? deps.sources.hostIP, 120_000);
    if (failure) {
      emit('Warning', 'FailedPostStartHook', `PostStartHook failed: ${failure}`);
      emit('Normal', 'Killing', `FailedPostStartHook`);
      await deps.runtime.stopContainer(id, pod.spec?.terminationGracePeriodSeconds ?? 30);
    }
  }
  const status = await deps.runtime.inspectContainer(id);
  return status ? { started: status } : { waiting: { reason: 'ContainerCreating' } };
}

/**
 * The engine refused the container's configuration (400: a relative working directory, an
 * unknown capability, a memory limit below its minimum): the container waits with
 * CreateContainerError, as on a kubelet node, and the rest of the pod goes on.
 */
const refused = (err: unknown) => (err as { statusCode?: number }).statusCode === 400;

function createError(emit: (type: 'Normal' | 'Warning', reason: string, message: string) => void, err: unknown): Error {
  const msg = engineMessage(err);
  emit('Warning', 'Failed', `Error: ${msg}`);
  return new Error(msg);
}

function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return e.json?.message ?? e.message ?? String(err);
}
