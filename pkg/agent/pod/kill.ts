import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { core } from '../../api/types/index.ts';
import { containerKindLabel, containerNameLabel, nodeLabel, podUidLabel } from './labels.ts';
import type { SyncDeps } from './pod-context.ts';
import { runHook } from './hooks.ts';

/**
 * Stops a pod as the kubelet does: preStop hooks, SIGTERM, SIGKILL when the grace period is
 * over (one deadline for the whole pod), then removes its containers, sandbox, address and
 * directory. `uid` alone is enough, so pods whose object is already gone can be cleaned too.
 */
export async function killPod(deps: SyncDeps, uid: string, pod: core.Pod | undefined, graceSeconds: number): Promise<void> {
  const all = await deps.runtime.listContainers({ [nodeLabel]: deps.node, [podUidLabel]: uid });
  const deadline = deps.now() + graceSeconds * 1000;
  const apps = all.filter((c) => c.labels[containerKindLabel] !== 'sandbox' && c.state === 'running');
  await Promise.all(apps.map(async (c) => {
    const spec = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? []), ...((pod?.spec?.ephemeralContainers ?? []) as core.Container[])].find((s) => s.name === c.labels[containerNameLabel]);
    if (pod && spec) deps.emit(pod, { type: 'Normal', reason: 'Killing', message: `Stopping container ${spec.name}` }, spec.name);
    if (spec?.lifecycle?.preStop) {
      const failure = await runHook(spec.lifecycle.preStop, deps.runtime, c.id, spec, deps.sources.hostIP, Math.max(0, deadline - deps.now()));
      if (failure && pod) deps.emit(pod, { type: 'Warning', reason: 'FailedPreStopHook', message: `PreStopHook failed: ${failure}` }, spec.name);
    }
    await deps.runtime.stopContainer(c.id, Math.max(0, (deadline - deps.now()) / 1000));
  }));
  for (const c of all) await deps.runtime.removeContainer(c.id);
  deps.ips.release(uid);
  deps.crashBackoff.forget(`${uid}/`);
  deps.pullBackoff.forget(`${uid}/`);
  const dir = join(deps.podsDir, uid);
  unmountUnder(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** tmpfs emptyDirs are mounts: unmount them before removing the directory. */
function unmountUnder(dir: string): void {
  let mounts: string[];
  try {
    mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${dir}/`));
  } catch {
    return;
  }
  for (const m of mounts.sort().reverse()) {
    try {
      execFileSync('umount', [m], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', m], { stdio: 'pipe' });
    }
  }
}
