import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { NOW, ago, pods } from './helpers.ts';

// printPod as the apiserver renders it (always the wide form); kubectl shows the first five.

const cells = (pod: Record<string, unknown>) => pods.table!.cells({ metadata: { name: 'p', creationTimestamp: ago(300) }, spec: { containers: [{ name: 'a' }] }, ...pod } as KObject, NOW);
const status = (pod: Record<string, unknown>) => cells(pod)[2];
const running = (name: string, extra: Record<string, unknown> = {}) => ({ name, ready: true, restartCount: 0, state: { running: { startedAt: ago(200) } }, ...extra });

describe('pod table', () => {
  it('has upstream\'s columns, the last four wide only', () => {
    expect(pods.table!.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0], ['Ready', 'string', 0], ['Status', 'string', 0], ['Restarts', 'string', 0], ['Age', 'string', 0],
      ['IP', 'string', 1], ['Node', 'string', 1], ['Nominated Node', 'string', 1], ['Readiness Gates', 'string', 1],
    ]);
    expect(pods.table!.columns[0].format).toBe('name');
  });

  it('prints a pending pod', () => {
    expect(cells({ status: { phase: 'Pending' } })).toEqual(['p', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>']);
  });

  it('prints a running pod with restarts, IP, node and readiness gates', () => {
    const row = cells({
      spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }], readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
      status: {
        phase: 'Running', podIP: '10.42.0.9', podIPs: [{ ip: '10.42.0.9' }],
        conditions: [{ type: 'Ready', status: 'True' }, { type: 'example.com/lb', status: 'True' }],
        containerStatuses: [running('a', { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(120) } } }), running('b', { ready: false })],
      },
    });
    expect(row).toEqual(['p', '1/2', 'Running', '3 (2m ago)', '5m', '10.42.0.9', 'n1', '<none>', '1/2']);
  });

  it('takes the reason of the last container that has one', () => {
    expect(status({ status: { phase: 'Running', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 4 }] } })).toBe('CrashLoopBackOff');
    expect(status({ status: { phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }] } })).toBe('ContainerCreating');
    expect(status({ status: { phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } })).toBe('Completed');
    expect(status({ status: { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2, reason: 'Error' } } }] } })).toBe('Error');
    expect(status({ status: { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137 } } }] } })).toBe('ExitCode:137');
    expect(status({ status: { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, signal: 9 } } }] } })).toBe('Signal:9');
    expect(status({ status: { phase: 'Failed', reason: 'Evicted' } })).toBe('Evicted');
  });

  it('reads Running or NotReady when a completed container sits next to a running one', () => {
    const two = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    const statuses = [running('a'), { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } }];
    expect(status({ ...two, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses } })).toBe('Running');
    expect(status({ ...two, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: statuses } })).toBe('NotReady');
  });

  it('reports init containers while the pod initializes', () => {
    const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'a' }] };
    const init = (...s: unknown[]) => status({ spec, status: { phase: 'Pending', initContainerStatuses: s, containerStatuses: [{ name: 'a', state: { waiting: { reason: 'PodInitializing' } } }] } });
    expect(init({ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } })).toBe('Init:1/2');
    expect(init({ name: 'i1', state: { waiting: { reason: 'ImagePullBackOff' } } }, { name: 'i2', state: { waiting: { reason: 'PodInitializing' } } })).toBe('Init:ImagePullBackOff');
    expect(init({ name: 'i1', state: { terminated: { exitCode: 1, reason: 'Error' } } }, { name: 'i2', state: { waiting: {} } })).toBe('Init:Error');
    expect(init({ name: 'i1', state: { terminated: { exitCode: 3 } } })).toBe('Init:ExitCode:3');
    // A sidecar (restartable init container) that started counts as a container, not as initialization.
    const sidecar = cells({
      spec: { initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] },
      status: { phase: 'Running', initContainerStatuses: [{ name: 's', started: true, ready: true, restartCount: 1, state: { running: {} } }], containerStatuses: [running('a')] },
    });
    expect(sidecar.slice(1, 4)).toEqual(['2/2', 'Running', '1']);
  });

  it('reads Terminating for deleted pods that have not finished', () => {
    expect(status({ metadata: { name: 'p', deletionTimestamp: ago(0) }, status: { phase: 'Running' } })).toBe('Terminating');
    expect(status({ metadata: { name: 'p', deletionTimestamp: ago(0) }, status: { phase: 'Succeeded' } })).toBe('Succeeded');
    expect(status({ metadata: { name: 'p', deletionTimestamp: ago(0) }, status: { phase: 'Running', reason: 'NodeLost' } })).toBe('Unknown');
    expect(status({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } })).toBe('SchedulingGated');
  });
});
