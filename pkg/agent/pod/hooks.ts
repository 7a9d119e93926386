import type { core } from '../../api/types/index.ts';
import type { ContainerRuntime } from '../runtime/index.ts';
import { runProbe } from './probe.ts';

/**
 * Runs a postStart or preStop handler (exec, httpGet, or sleep) against a running container.
 * Returns an error message on failure (including a command the runtime refuses), undefined on success; never throws for the handler's content. Bounded by `timeoutMs` (the grace
 * period for preStop; upstream gives postStart no bound, here 2 minutes).
 */
export async function runHook(handler: core.LifecycleHandler, rt: ContainerRuntime, containerId: string, container: core.Container, podIP: string, timeoutMs: number): Promise<string | undefined> {
  if (handler.sleep) {
    await new Promise((r) => setTimeout(r, Math.min(handler.sleep!.seconds * 1000, timeoutMs)));
    return undefined;
  }
  if (handler.exec) {
    const command = JSON.stringify((handler.exec.command ?? []).join(' '));
    // A command the runtime refuses (an empty one) is a failed hook, as for kubelet, never a failed sync.
    const r = await rt.exec(containerId, handler.exec.command ?? [], { timeoutMs }).catch((err: Error) => err);
    if (r instanceof Error) return `command ${command} failed: ${r.message}`;
    if (r.timedOut) return `command ${command} timed out`;
    return r.exitCode === 0 ? undefined : `command ${command} exited with ${r.exitCode}: ${r.stdout}${r.stderr}`;
  }
  if (handler.httpGet) {
    const r = await runProbe({ httpGet: handler.httpGet, timeoutSeconds: Math.ceil(timeoutMs / 1000) }, { runtime: rt, containerId, container, podIP });
    return r.ok ? undefined : r.message;
  }
  return undefined;
}
