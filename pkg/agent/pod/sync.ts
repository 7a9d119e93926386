import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { core } from '../../api/types/index.ts';
import type { ContainerStatus } from '../runtime/index.ts';
import { formatResolvConf } from '../dns/resolv-conf.ts';
import { podRef, sandboxSpec } from './container-spec.ts';
import { podResolvConf } from './dns-config.ts';
import { containerKindLabel, containerNameLabel, nodeLabel, podUidLabel, restartCountLabel, specHashLabel } from './labels.ts';
import { specHash } from './container-spec.ts';
import type { PodContext, SyncDeps } from './pod-context.ts';
import { reconcileEphemeral } from './ephemeral.ts';
import { startContainer } from './start-container.ts';
import type { ContainerObservation, PodObservation } from './status.ts';
import { setUpVolumes, VolumeError } from './volumes.ts';

export interface SyncResult {
  observation: PodObservation;
  /** Sync again after this long at the latest (a back-off ends, a volume may appear). */
  retryInMs?: number;
}

const restarts = (s: ContainerStatus) => Number(s.labels[restartCountLabel] ?? 0);

/**
 * One reconcile of a pod that should run on this node: sandbox, volumes, init containers in
 * order, then app containers, then ephemeral containers (started once), restarting per restartPolicy with back-off. Idempotent: it
 * compares what runs (found by labels) with the spec and does only what is missing, so it is also
 * how a restarted agent adopts its pods without touching healthy containers.
 */
export async function syncPod(pod: core.Pod, deps: SyncDeps): Promise<SyncResult> {
  const ref = podRef(pod);
  const now = deps.now();
  const all = await deps.runtime.listContainers({ [nodeLabel]: deps.node, [podUidLabel]: ref.uid });
  const hostNetwork = pod.spec?.hostNetwork === true;
  const observation: PodObservation = { sandboxReady: false, hostIP: deps.sources.hostIP, init: {}, app: {}, now: new Date(now) };

  // Sandbox: exactly one running; a dead one means the pod's network is gone and its containers with it.
  const sandboxes = all.filter((c) => c.labels[containerKindLabel] === 'sandbox');
  let sandbox = sandboxes.find((s) => s.state === 'running');
  for (const s of sandboxes) if (s !== sandbox) await deps.runtime.removeContainer(s.id);
  const containers = all.filter((c) => c.labels[containerKindLabel] !== 'sandbox');
  if (!sandbox) {
    if (sandboxes.length) {
      deps.emit(pod, { type: 'Normal', reason: 'SandboxChanged', message: 'Pod sandbox changed, it will be killed and re-created.' });
      for (const c of containers.filter((x) => x.state === 'running')) await deps.runtime.stopContainer(c.id, 0);
    }
    const ip = hostNetwork ? undefined : deps.ips.allocate(ref.uid);
    const id = await deps.runtime.createContainer(sandboxSpec(pod, { node: deps.node, pauseImage: await deps.runtime.ensurePauseImage(), network: deps.network, ip }));
    await deps.runtime.startContainer(id);
    sandbox = await deps.runtime.inspectContainer(id);
    if (!sandbox) throw new Error(`sandbox of pod ${ref.namespace}/${ref.name} vanished after start`);
  } else if (!hostNetwork && sandbox.ip) {
    deps.ips.claim(sandbox.ip, ref.uid);
  }
  observation.sandboxReady = true;
  observation.podIP = hostNetwork ? deps.sources.hostIP : sandbox.ip;

  const dir = join(deps.podsDir, ref.uid);
  let volumes: Map<string, string>;
  try {
    await prepareTokens(pod, deps);
    volumes = setUpVolumes(pod, { ...deps.sources, podDir: dir, podIP: observation.podIP });
  } catch (err) {
    if (!(err instanceof VolumeError)) throw err;
    deps.emit(pod, { type: 'Warning', reason: 'FailedMount', message: err.message });
    return { observation, retryInMs: 2_000 };
  }
  const p: PodContext = { pod, ref, deps, dir, sandboxId: sandbox.id, podIP: observation.podIP, volumes, resolvConf: writeResolvConf(pod, deps, dir) };

  // Newest first per container name.
  const byName = new Map<string, ContainerStatus[]>();
  for (const c of containers) {
    const name = c.labels[containerNameLabel] ?? '';
    byName.set(name, [...(byName.get(name) ?? []), c].sort((a, b) => restarts(b) - restarts(a)));
  }
  let retryInMs: number | undefined;
  const wake = (ms: number) => (retryInMs = retryInMs === undefined ? ms : Math.min(retryInMs, ms));

  for (const c of pod.spec?.initContainers ?? []) {
    const o = await reconcile(p, c, 'init', byName.get(c.name) ?? [], wake);
    observation.init[c.name] = o;
    if (!(o.current?.state === 'exited' && o.current.exitCode === 0)) {
      for (const a of pod.spec?.containers ?? []) observation.app[a.name] = { restartCount: 0, waiting: { reason: 'PodInitializing' } };
      return { observation, retryInMs };
    }
  }
  for (const c of pod.spec?.containers ?? []) observation.app[c.name] = await reconcile(p, c, 'app', byName.get(c.name) ?? [], wake);
  const targets = new Map<string, ContainerStatus>();
  for (const [name, o] of [...Object.entries(observation.init), ...Object.entries(observation.app)]) if (o.current) targets.set(name, o.current);
  for (const ec of pod.spec?.ephemeralContainers ?? []) {
    const o = await reconcileEphemeral(p, ec, byName.get(ec.name) ?? [], targets, wake);
    if (o) (observation.ephemeral ??= {})[ec.name] = o;
  }
  return { observation, retryInMs };
}

/** Service-account tokens for projected volumes are fetched before volume setup, which is synchronous. */
async function prepareTokens(pod: core.Pod, deps: SyncDeps): Promise<void> {
  if (!deps.tokens) return;
  try {
    await deps.tokens.prepare(pod);
  } catch (err) {
    const v = pod.spec?.volumes?.find((x) => x.projected?.sources?.some((s) => s.serviceAccountToken));
    throw new VolumeError(v?.name ?? '', `failed to fetch token: ${(err as Error).message}`);
  }
}

/** One container: keep it, restart it (with back-off), or start it for the first time. */
async function reconcile(p: PodContext, c: core.Container, kind: 'init' | 'app', history: ContainerStatus[], wake: (ms: number) => void): Promise<ContainerObservation> {
  const { deps, pod, ref } = p;
  let [cur, prev] = history;
  for (const old of history.slice(2)) await deps.runtime.removeContainer(old.id); // keep the last two, as lastState needs

  if (cur?.state === 'running' || cur?.state === 'created') {
    const reason = cur.labels[specHashLabel] !== specHash(c) ? `Container ${c.name} definition changed, will be restarted` : deps.health?.mustRestart(ref.uid, c.name, cur.id);
    if (!reason) {
      if (cur.state === 'created') await deps.runtime.startContainer(cur.id).catch(() => undefined);
      return { current: cur, previous: prev, restartCount: restarts(cur), ready: deps.health?.ready(ref.uid, c.name, cur.id), started: deps.health?.started(ref.uid, c.name, cur.id) };
    }
    deps.emit(pod, { type: 'Normal', reason: 'Killing', message: reason }, c.name);
    await deps.runtime.stopContainer(cur.id, pod.spec?.terminationGracePeriodSeconds ?? 30);
    cur = (await deps.runtime.inspectContainer(cur.id)) ?? cur;
  }

  // Init containers never restart after success: Always means OnFailure for them.
  const podPolicy = pod.spec?.restartPolicy ?? 'Always';
  const policy = kind === 'init' && podPolicy === 'Always' ? 'OnFailure' : podPolicy;
  if (cur) {
    const failed = cur.exitCode !== 0;
    const restart = policy === 'Always' || (policy === 'OnFailure' && failed);
    if (!restart) return { current: cur, previous: prev, restartCount: restarts(cur) };
    const key = `${ref.uid}/${c.name}`;
    const remaining = deps.crashBackoff.remaining(key, deps.now());
    if (remaining > 0) {
      wake(remaining);
      const message = `back-off ${Math.round(deps.crashBackoff.delayMs(key) / 1000)}s restarting failed container=${c.name} pod=${ref.name}_${ref.namespace}(${ref.uid})`;
      deps.emit(pod, { type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${ref.name}_${ref.namespace}(${ref.uid})` }, c.name);
      return { previous: cur, restartCount: restarts(cur), waiting: { reason: 'CrashLoopBackOff', message } };
    }
    const ran = cur.startedAt && cur.finishedAt ? Date.parse(cur.finishedAt) - Date.parse(cur.startedAt) : 0;
    deps.crashBackoff.failed(key, deps.now(), ran);
    prev = cur;
  }
  const restartCount = cur ? restarts(cur) + 1 : 0;
  const out = await startContainer(p, c, kind, restartCount);
  if ('waiting' in out) {
    if (out.waiting.reason === 'ErrImagePull' || out.waiting.reason === 'ImagePullBackOff') wake(deps.pullBackoff.remaining(`${ref.uid}/${c.name}`, deps.now()) || 1_000);
    else wake(2_000);
    return { previous: prev, restartCount: cur ? restarts(cur) : 0, waiting: out.waiting };
  }
  return { current: out.started, previous: prev, restartCount, ready: deps.health?.ready(ref.uid, c.name, out.started.id), started: deps.health?.started(ref.uid, c.name, out.started.id) };
}

/**
 * The pod's resolv.conf, written once into its directory and bind-mounted into each container at
 * /etc/resolv.conf (what dockershim did to the sandbox's file). Rewritten in place, never replaced,
 * so running containers keep seeing it.
 */
function writeResolvConf(pod: core.Pod, deps: SyncDeps, dir: string): string | undefined {
  if (!deps.dns) return undefined;
  const { conf, warnings } = podResolvConf(pod, deps.dns);
  const file = join(dir, 'resolv.conf');
  const text = formatResolvConf(conf);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return file;
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text, { mode: 0o644 });
  for (const w of warnings) deps.emit(pod, { type: 'Warning', reason: 'DNSConfigForming', message: w });
  return file;
}
