import { describe, expect, it } from 'vitest';
import { podStatus, type ContainerObservation, type PodObservation } from '../../../pkg/agent/pod/status.ts';
import type { ContainerStatus } from '../../../pkg/agent/runtime/index.ts';
import type { core } from '../../../pkg/api/types/index.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:01:00Z');

const pod = (spec: Partial<core.PodSpec> = {}, status?: core.PodStatus): core.Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers: [{ name: 'a', image: 'img:1' }, { name: 'b', image: 'img:2' }], ...spec },
  status: status ?? { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-12-31T23:59:00Z' }] },
});

const rt = (id: string, state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  id, name: id, labels: {}, image: 'img', imageId: 'sha256:abc', state, startedAt: '2026-01-01T00:00:01Z', ...extra,
});
const running = (id: string, extra: Partial<ContainerObservation> = {}): ContainerObservation => ({ current: rt(id, 'running'), restartCount: 0, ...extra });
const exited = (id: string, exitCode: number, extra: Partial<ContainerStatus> = {}): ContainerObservation => ({ current: rt(id, 'exited', { exitCode, finishedAt: '2026-01-01T00:00:30Z', ...extra }), restartCount: 0 });

const observe = (o: Partial<PodObservation>): PodObservation => ({ sandboxReady: true, podIP: '10.42.0.5', hostIP: '192.168.1.5', init: {}, app: {}, now: t0, ...o });
const cond = (s: core.PodStatus, type: string) => s.conditions?.find((c) => c.type === type);

describe('pod status from observed containers', () => {
  it('is Pending with ContainerCreating before containers exist', () => {
    const s = podStatus(pod(), observe({ sandboxReady: false, podIP: undefined }));
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0]).toMatchObject({ name: 'a', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } });
    expect(cond(s, 'PodReadyToStartContainers')?.status).toBe('False');
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a b]' });
    expect(s.podIP).toBeUndefined();
    expect(s.qosClass).toBe('BestEffort');
  });

  it('is Running and Ready once every container runs, in upstream condition order', () => {
    const s = podStatus(pod(), observe({ app: { a: running('c1'), b: running('c2') } }));
    expect(s.phase).toBe('Running');
    expect(s.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
    ]);
    expect(s).toMatchObject({ podIP: '10.42.0.5', podIPs: [{ ip: '10.42.0.5' }], hostIP: '192.168.1.5', startTime: '2026-01-01T00:00:00Z' });
    expect(s.containerStatuses?.[1]).toMatchObject({ containerID: 'docker://c2', imageID: 'docker-pullable://sha256:abc', ready: true, started: true, state: { running: { startedAt: '2026-01-01T00:00:01Z' } } });
  });

  it('keeps lastTransitionTime while a condition holds, and moves it when it flips', () => {
    const first = podStatus(pod(), observe({ app: { a: running('c1'), b: running('c2', { ready: false }) } }));
    expect(cond(first, 'Ready')).toMatchObject({ status: 'False', message: 'containers with unready status: [b]', lastTransitionTime: '2026-01-01T00:00:00Z' });
    const p = pod({}, first);
    const same = podStatus(p, observe({ app: { a: running('c1'), b: running('c2', { ready: false }) }, now: t1 }));
    expect(cond(same, 'Ready')?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(cond(same, 'PodScheduled')?.lastTransitionTime).toBe('2025-12-31T23:59:00Z');
    const flipped = podStatus(p, observe({ app: { a: running('c1'), b: running('c2') }, now: t1 }));
    expect(cond(flipped, 'Ready')).toEqual({ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:01:00Z' });
    expect(flipped.startTime).toBe('2026-01-01T00:00:00Z');
  });

  it('reports CrashLoopBackOff with the last termination, and stays Running under Always', () => {
    const a: ContainerObservation = { previous: rt('c1', 'exited', { exitCode: 2, finishedAt: '2026-01-01T00:00:10Z' }), restartCount: 3, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=a pod=p_default(u)' } };
    const s = podStatus(pod(), observe({ app: { a, b: running('c2') } }));
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses?.[0]).toMatchObject({
      ready: false, restartCount: 3,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=a pod=p_default(u)' } },
      lastState: { terminated: { exitCode: 2, reason: 'Error', finishedAt: '2026-01-01T00:00:10Z', containerID: 'docker://c1' } },
    });
    const alone = podStatus(pod({ containers: [{ name: 'a', image: 'i' }] }), observe({ app: { a } }));
    expect(alone.phase).toBe('Running');
  });

  it('ends Succeeded or Failed by restartPolicy, with Completed, Error and OOMKilled reasons', () => {
    const done = { a: exited('c1', 0), b: exited('c2', 0) };
    expect(podStatus(pod({ restartPolicy: 'Never' }), observe({ app: done })).phase).toBe('Succeeded');
    expect(podStatus(pod({ restartPolicy: 'OnFailure' }), observe({ app: done })).phase).toBe('Succeeded');
    expect(podStatus(pod({ restartPolicy: 'Always' }), observe({ app: done })).phase).toBe('Running');
    const failed = { a: exited('c1', 0), b: exited('c2', 137, { oomKilled: true }) };
    const f = podStatus(pod({ restartPolicy: 'Never' }), observe({ app: failed }));
    expect(f.phase).toBe('Failed');
    expect(f.containerStatuses?.map((c) => c.state?.terminated?.reason)).toEqual(['Completed', 'OOMKilled']);
    expect(podStatus(pod({ restartPolicy: 'OnFailure' }), observe({ app: failed })).phase).toBe('Running');
  });

  it('waits for init containers in order, and fails on a failed one under Never', () => {
    const spec = { initContainers: [{ name: 'i1', image: 'x' }, { name: 'i2', image: 'x' }] };
    const s = podStatus(pod(spec), observe({ init: { i1: exited('c0', 0), i2: running('c1') } }));
    expect(s.phase).toBe('Pending');
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i2]' });
    expect(cond(s, 'Ready')).toMatchObject({ reason: 'ContainersNotInitialized' });
    expect(s.initContainerStatuses?.map((c) => Object.keys(c.state ?? {})[0])).toEqual(['terminated', 'running']);
    const after = podStatus(pod(spec), observe({ init: { i1: exited('c0', 0), i2: exited('c1', 0) }, app: { a: running('c2'), b: running('c3') } }));
    expect(after.phase).toBe('Running');
    expect(cond(after, 'Initialized')?.status).toBe('True');
    expect(podStatus(pod({ ...spec, restartPolicy: 'Never' }), observe({ init: { i1: exited('c0', 1) } })).phase).toBe('Failed');
    expect(podStatus(pod({ ...spec, restartPolicy: 'Always' }), observe({ init: { i1: exited('c0', 1) } })).phase).toBe('Pending');
  });

  it('uses the host address for hostNetwork pods', () => {
    const s = podStatus(pod({ hostNetwork: true }), observe({ podIP: undefined, app: { a: running('c1'), b: running('c2') } }));
    expect(s.podIP).toBe('192.168.1.5');
  });
});
