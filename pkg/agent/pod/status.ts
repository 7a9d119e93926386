import type { core } from '../../api/types/index.ts';
import type { ContainerStatus as RuntimeStatus } from '../runtime/index.ts';

type Pod = core.Pod;
type PodStatus = core.PodStatus;
type ContainerStatus = core.ContainerStatus;
type ContainerState = core.ContainerState;

/** What the agent knows of one spec container right now. */
export interface ContainerObservation {
  /** The newest container made for it, if any. */
  current?: RuntimeStatus;
  /** The one before (what `lastState` reports). */
  previous?: RuntimeStatus;
  restartCount: number;
  /** Why it is not running and has no container to show: ErrImagePull, CrashLoopBackOff, … */
  waiting?: { reason: string; message?: string };
  /** From the readiness probe; containers without one are ready once running. */
  ready?: boolean;
  /** From the startup probe; containers without one are started once running. */
  started?: boolean;
}

export interface PodObservation {
  sandboxReady: boolean;
  podIP?: string;
  hostIP: string;
  init: Record<string, ContainerObservation>;
  app: Record<string, ContainerObservation>;
  /** Ephemeral containers; one without an entry keeps the status last reported for it. */
  ephemeral?: Record<string, ContainerObservation>;
  now: Date;
}

/**
 * The pod status the kubelet would post for what the agent observed: phase, conditions (with
 * lastTransitionTime kept while a condition does not change), container statuses, IPs.
 * Conditions written by others (PodScheduled, readiness gates) are kept as they are.
 */
export function podStatus(pod: Pod, o: PodObservation): PodStatus {
  const spec = pod.spec!;
  const old = pod.status ?? {};
  const initStatuses = (spec.initContainers ?? []).map((c) => containerStatus(c, o.init[c.name] ?? { restartCount: 0 }));
  const appStatuses = spec.containers.map((c) => containerStatus(c, o.app[c.name] ?? { restartCount: 0 }));
  const initDone = initStatuses.every((s) => s.state?.terminated?.exitCode === 0);
  const pendingInit = initStatuses.filter((s) => s.state?.terminated?.exitCode !== 0).map((s) => s.name);
  const unready = appStatuses.filter((s) => !s.ready).map((s) => s.name);

  const stamp = iso(o.now);
  const conditions: core.PodCondition[] = [];
  const set = (type: string, ok: boolean, reason?: string, message?: string) => {
    const prev = old.conditions?.find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    conditions.push({
      type, status, lastProbeTime: null as unknown as undefined,
      lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : stamp,
      ...(ok || !reason ? {} : { reason, message }),
    });
  };
  set('PodReadyToStartContainers', o.sandboxReady);
  set('Initialized', initDone, 'ContainersNotInitialized', `containers with incomplete status: [${pendingInit.join(' ')}]`);
  set('Ready', initDone && unready.length === 0, initDone ? 'ContainersNotReady' : 'ContainersNotInitialized', initDone ? `containers with unready status: [${unready.join(' ')}]` : `containers with incomplete status: [${pendingInit.join(' ')}]`);
  set('ContainersReady', initDone && unready.length === 0, initDone ? 'ContainersNotReady' : 'ContainersNotInitialized', initDone ? `containers with unready status: [${unready.join(' ')}]` : `containers with incomplete status: [${pendingInit.join(' ')}]`);
  for (const c of old.conditions ?? []) if (!conditions.some((n) => n.type === c.type)) conditions.push(c);

  const hostNetwork = spec.hostNetwork === true;
  const podIP = hostNetwork ? o.hostIP : o.podIP;
  return {
    ...old,
    phase: phase(spec, initStatuses, appStatuses),
    conditions: order(conditions),
    hostIP: o.hostIP,
    hostIPs: [{ ip: o.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: old.startTime ?? stamp,
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: appStatuses,
    ...ephemeralStatuses(spec, old, o),
  };
}

/** Upstream reports ephemeral containers never ready, with no `started`, and not in phase or conditions. */
function ephemeralStatuses(spec: core.PodSpec, old: PodStatus, o: PodObservation): Pick<PodStatus, 'ephemeralContainerStatuses'> {
  const list = (spec.ephemeralContainers ?? []).map((c) => {
    const seen = o.ephemeral?.[c.name];
    const prev = old.ephemeralContainerStatuses?.find((s) => s.name === c.name);
    if (!seen && prev) return prev;
    const { started: _started, ...s } = containerStatus(c as core.Container, seen ?? { restartCount: 0 });
    return { ...s, ready: false };
  });
  return list.length ? { ephemeralContainerStatuses: list } : {};
}

/** Upstream's order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled, then others. */
function order(cs: core.PodCondition[]): core.PodCondition[] {
  const rank = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  const r = (t: string) => (rank.includes(t) ? rank.indexOf(t) : rank.length);
  return [...cs].sort((a, b) => r(a.type) - r(b.type));
}

function containerStatus(c: core.Container, o: ContainerObservation): ContainerStatus {
  const state = stateOf(o.current, o.waiting);
  const running = state.running !== undefined;
  return {
    name: c.name,
    image: c.image ?? '',
    imageID: o.current?.imageId ? `docker-pullable://${o.current.imageId}` : '',
    ...(o.current ? { containerID: `docker://${o.current.id}` } : {}),
    ready: running && (o.ready ?? true),
    started: running && (o.started ?? true),
    restartCount: o.restartCount,
    state,
    lastState: o.previous ? stateOf(o.previous) : {},
  };
}

function stateOf(s: RuntimeStatus | undefined, waiting?: { reason: string; message?: string }): ContainerState {
  if (waiting && (!s || s.state !== 'running')) return { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
  if (!s || s.state === 'created') return { waiting: { reason: 'ContainerCreating' } };
  if (s.state === 'running' || s.state === 'paused' || s.state === 'restarting') return { running: { startedAt: s.startedAt } };
  const exitCode = s.exitCode ?? 0;
  return {
    terminated: {
      exitCode,
      reason: s.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
      ...(s.error ? { message: s.error } : {}),
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      containerID: `docker://${s.id}`,
    },
  };
}

/**
 * The kubelet's phase rules: Pending until init containers are done and every container has
 * started once; Running while any container runs or will be restarted; Succeeded or Failed once
 * all have terminated for good (restartPolicy decides what "for good" means).
 */
function phase(spec: core.PodSpec, init: ContainerStatus[], app: ContainerStatus[]): string {
  const policy = spec.restartPolicy ?? 'Always';
  if (policy === 'Never' && init.some((s) => s.state?.terminated && s.state.terminated.exitCode !== 0)) return 'Failed';
  if (init.some((s) => s.state?.terminated?.exitCode !== 0)) return 'Pending';
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const s of app) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) {
      stopped++; // waiting to restart after having run: counts as stopped, as upstream
      if (s.lastState.terminated.exitCode === 0) succeeded++;
    } else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (policy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return policy === 'Never' ? 'Failed' : 'Running';
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
