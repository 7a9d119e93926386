import { describe, expect, it } from 'vitest';
import { podStatus, type PodObservation } from '../../../pkg/agent/pod/status.ts';
import type { ContainerStatus } from '../../../pkg/agent/runtime/index.ts';
import type { core } from '../../../pkg/api/types/index.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const rt = (id: string, state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  id, name: id, labels: {}, image: 'img', imageId: 'sha256:abc', state, startedAt: '2026-01-01T00:00:01Z', ...extra,
});
const pod = (status: core.PodStatus = { phase: 'Running' }): core.Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers: [{ name: 'a', image: 'img:1' }], ephemeralContainers: [{ name: 'dbg', image: 'busybox' }, { name: 'later', image: 'busybox', targetContainerName: 'a' }] },
  status,
});
const observe = (o: Partial<PodObservation>): PodObservation => ({
  sandboxReady: true, podIP: '10.42.0.5', hostIP: '192.168.1.5', init: {}, app: { a: { current: rt('app', 'running'), restartCount: 0 } }, now: t0, ...o,
});

describe('ephemeral container status', () => {
  it('reports each ephemeral container never ready, without started, outside phase and conditions', () => {
    const s = podStatus(pod(), observe({ ephemeral: { dbg: { current: rt('e1', 'exited', { exitCode: 3, finishedAt: '2026-01-01T00:00:05Z' }), restartCount: 0 } } }));
    expect(s.ephemeralContainerStatuses).toEqual([
      {
        name: 'dbg', image: 'busybox', imageID: 'docker-pullable://sha256:abc', containerID: 'docker://e1', ready: false, restartCount: 0, lastState: {},
        state: { terminated: { exitCode: 3, reason: 'Error', startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:00:05Z', containerID: 'docker://e1' } },
      },
      { name: 'later', image: 'busybox', imageID: '', ready: false, restartCount: 0, lastState: {}, state: { waiting: { reason: 'ContainerCreating' } } },
    ]);
    expect(s.phase).toBe('Running');
    expect(s.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('keeps the last reported status of an ephemeral container whose engine container is gone', () => {
    const before = podStatus(pod(), observe({ ephemeral: { dbg: { current: rt('e1', 'running'), restartCount: 0 } } }));
    const after = podStatus(pod(before), observe({}));
    expect(after.ephemeralContainerStatuses?.[0]).toEqual(before.ephemeralContainerStatuses?.[0]);
  });

  it('reports nothing for a pod without ephemeral containers', () => {
    const p = pod();
    delete p.spec!.ephemeralContainers;
    expect(podStatus(p, observe({}))).not.toHaveProperty('ephemeralContainerStatuses');
  });
});
