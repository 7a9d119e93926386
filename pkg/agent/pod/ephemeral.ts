import type { core } from '../../api/types/index.ts';
import type { ContainerStatus } from '../runtime/index.ts';
import type { PodContext } from './pod-context.ts';
import { startContainer } from './start-container.ts';
import type { ContainerObservation } from './status.ts';

/**
 * Ephemeral containers, as the kubelet runs them: each is started once while the pod runs, in the
 * pod's sandbox (network, IPC) and, with targetContainerName, in that container's PID namespace;
 * never restarted, not even when it fails or its container disappears.
 *
 * `history` is what the engine has for this name (newest first); `apps` the running app and init
 * containers by name, for the target. Returns undefined when nothing is known and nothing will be
 * started (the container ran once and is gone: its last reported status stands).
 */
export async function reconcileEphemeral(
  p: PodContext,
  ec: core.EphemeralContainer,
  history: ContainerStatus[],
  apps: Map<string, ContainerStatus>,
  wake: (ms: number) => void,
): Promise<ContainerObservation | undefined> {
  const { deps, pod } = p;
  const [cur] = history;
  for (const extra of history.slice(1)) await deps.runtime.removeContainer(extra.id);
  if (cur) {
    // Created but never started (the agent stopped in between): this is still its one start.
    if (cur.state === 'created') {
      await deps.runtime.startContainer(cur.id).catch(() => undefined);
      return { current: (await deps.runtime.inspectContainer(cur.id)) ?? cur, restartCount: 0 };
    }
    return { current: cur, restartCount: 0 };
  }
  const reported = pod.status?.ephemeralContainerStatuses?.find((s) => s.name === ec.name);
  if (reported?.containerID) return undefined;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return { restartCount: 0, waiting: { reason: 'ContainerCreating' } };

  let pidContainer: string | undefined;
  if (ec.targetContainerName) {
    const target = apps.get(ec.targetContainerName);
    if (!target || target.state !== 'running') {
      wake(2_000);
      const message = `target container "${ec.targetContainerName}" is not running`;
      return { restartCount: 0, waiting: { reason: 'CreateContainerConfigError', message } };
    }
    pidContainer = target.id;
  }
  // The allowed fields of an ephemeral container are a subset of a container's.
  const out = await startContainer(p, ec as core.Container, 'ephemeral', 0, pidContainer);
  if ('waiting' in out) {
    wake(out.waiting.reason === 'ErrImagePull' || out.waiting.reason === 'ImagePullBackOff' ? deps.pullBackoff.remaining(`${p.ref.uid}/${ec.name}`, deps.now()) || 1_000 : 2_000);
    return { restartCount: 0, waiting: out.waiting };
  }
  return { current: out.started, restartCount: 0 };
}
