import type { core } from '../../api/types/index.ts';
import type { ContainerRuntime } from '../runtime/index.ts';
import { runProbe } from './probe.ts';

/**
 * Runs a postStart or preStop handler (exec, httpGet, or sleep) against a running container.
 * Returns an error message on failure, undefined on success. Bounded by `timeoutMs` (the grace
 * period for preStop; upstream gives postStart no bound, here 2 minutes).
 */
export async function runHook(handler: core.LifecycleHandler, rt: ContainerRuntime, containerId: string, container: core.Container, podIP: string, timeoutMs: number): Promise<string | undefined> {
  if (handler.sleep) {
    await new Promise((r) => setTimeout(r, Math.min(handler.sleep!.seconds * 1000, timeoutMs)));
    return undefined;
  }
  if (handler.exec) {
    const r = await rt.exec(containerId, handler.exec.command ?? [], { timeoutMs });
    if (r.timedOut) return `command ${JSON.stringify((handler.exec.command ?? []).join(' '))} timed out`;
    return r.exitCode === 0 ? undefined : `command ${JSON.stringify((handler.exec.command ?? []).join(' '))} exited with ${r.exitCode}: ${r.stdout}${r.stderr}`;
  }
  if (handler.httpGet) {
    const r = await runProbe({ httpGet: handler.httpGet, timeoutSeconds: Math.ceil(timeoutMs / 1000) }, { runtime: rt, containerId, container, podIP });
    return r.ok ? undefined : r.message;
  }
  return undefined;
}
