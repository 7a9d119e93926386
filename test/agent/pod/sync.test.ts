import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestartBackoff } from '../../../pkg/agent/pod/backoff.ts';
import type { PodEvent } from '../../../pkg/agent/pod/images.ts';
import { IpAllocator } from '../../../pkg/agent/pod/ip-allocator.ts';
import { killPod } from '../../../pkg/agent/pod/kill.ts';
import type { SyncDeps } from '../../../pkg/agent/pod/pod-context.ts';
import { podStatus } from '../../../pkg/agent/pod/status.ts';
import { syncPod } from '../../../pkg/agent/pod/sync.ts';
import { DockerRuntime } from '../../../pkg/agent/runtime/index.ts';
import type { core } from '../../../pkg/api/types/index.ts';

// The real Docker engine; the clock is fake so back-off is stepped, never slept.
const image = 'skiff-test/busybox:latest';
const run = randomBytes(3).toString('hex');
const node = `test-${run}`;
const rt = new DockerRuntime();
const cidr = '10.199.11.0/24';
const podsDir = mkdtempSync(join(tmpdir(), 'skiff-pods-'));
const events: (PodEvent & { pod: string; container?: string })[] = [];
let clock = 1_000_000;
let configMaps: Record<string, Record<string, string>> = {};

const deps: SyncDeps = {
  runtime: rt, node, network: `skiff-test-${run}`, ips: new IpAllocator(cidr), podsDir,
  sources: {
    configMap: (_ns, n) => (configMaps[n] ? { data: configMaps[n] } : undefined),
    secret: () => undefined, nodeName: node, hostIP: '127.0.0.1', allocatable: { cpu: 2, memory: 2 ** 32 },
  },
  crashBackoff: new RestartBackoff(), pullBackoff: new RestartBackoff(),
  emit: (pod, e, container) => events.push({ ...e, pod: pod.metadata!.name!, container }),
  now: () => clock,
};

beforeAll(async () => {
  await rt.ensureNetwork({ name: deps.network, subnet: cidr, gateway: '10.199.11.1', bridge: `sk-s-${run}` });
});
afterAll(async () => {
  for (const c of await rt.listContainers({ 'skiff.io/node': node })) await rt.removeContainer(c.id);
  await rt.removeNetwork(deps.network);
  rmSync(podsDir, { recursive: true, force: true });
});

let seq = 0;
// The test image is local and tagged :latest (which defaults to Always): say IfNotPresent.
const local = (cs?: core.Container[]) => cs?.map((c) => ({ imagePullPolicy: 'IfNotPresent', ...c }));
const pod = (spec: Partial<core.PodSpec>): core.Pod => {
  const name = `p${++seq}`;
  return {
    metadata: { name, namespace: 'default', uid: `${run}-${name}` },
    spec: { terminationGracePeriodSeconds: 5, ...spec, containers: local(spec.containers) ?? [], initContainers: local(spec.initContainers) },
  };
};

/** Syncs, then polls until `done` holds for the computed status (containers change on their own). */
async function syncUntil(p: core.Pod, done: (s: core.PodStatus) => boolean): Promise<core.PodStatus> {
  let status: core.PodStatus | undefined;
  for (let i = 0; i < 100; i++) {
    const r = await syncPod(p, deps);
    status = podStatus(p, r.observation);
    (p as { status?: core.PodStatus }).status = status;
    if (done(status)) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pod ${p.metadata?.name} never reached the expected state: ${JSON.stringify(status, null, 1)}`);
}
const cs = (s: core.PodStatus, name: string) => s.containerStatuses?.find((c) => c.name === name);

describe('pod sync on the real engine', () => {
  it('runs two containers that share localhost; a second sync changes nothing', async () => {
    const p = pod({ containers: [
      { name: 'web', image, command: ['httpd', '-f', '-p', '8080', '-h', '/etc'] },
      { name: 'client', image, command: ['sh', '-c', 'until wget -qO /tmp/got http://127.0.0.1:8080/hostname; do sleep 0.2; done; sleep 1000'] },
    ] });
    const s = await syncUntil(p, (st) => st.phase === 'Running' && !!st.containerStatuses?.every((c) => c.state?.running));
    expect(s.podIP).toMatch(/^10\.199\.11\.\d+$/);
    expect(s.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const ids = s.containerStatuses!.map((c) => c.containerID);
    const again = podStatus(p, (await syncPod(p, deps)).observation);
    expect(again.containerStatuses!.map((c) => c.containerID)).toEqual(ids);
    const client = ids[1]!.replace('docker://', '');
    for (let i = 0; i < 50 && (await rt.exec(client, ['cat', '/tmp/got'], { timeoutMs: 2_000 })).exitCode !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await rt.exec(client, ['cat', '/tmp/got'], { timeoutMs: 2_000 })).stdout).toBe(`${p.metadata!.name}\n`);
    expect(events.filter((e) => e.pod === p.metadata!.name).map((e) => `${e.reason}:${e.container}`)).toEqual(['Pulled:web', 'Created:web', 'Started:web', 'Pulled:client', 'Created:client', 'Started:client']);
  });

  it('restarts a crashing container at once, then backs off: CrashLoopBackOff until the delay passes', async () => {
    const p = pod({ containers: [{ name: 'crash', image, command: ['sh', '-c', 'exit 3'] }] });
    let s = await syncUntil(p, (st) => cs(st, 'crash')?.restartCount === 1);
    s = await syncUntil(p, (st) => cs(st, 'crash')?.state?.waiting?.reason === 'CrashLoopBackOff');
    expect(cs(s, 'crash')).toMatchObject({ restartCount: 1, ready: false, lastState: { terminated: { exitCode: 3, reason: 'Error' } } });
    expect(cs(s, 'crash')?.state?.waiting?.message).toBe(`back-off 10s restarting failed container=crash pod=${p.metadata!.name}_default(${p.metadata!.uid})`);
    expect(s.phase).toBe('Running');
    clock += 11_000;
    s = await syncUntil(p, (st) => cs(st, 'crash')?.restartCount === 2);
    expect(events.some((e) => e.pod === p.metadata!.name && e.reason === 'BackOff')).toBe(true);
  });

  it('ends pods by restartPolicy: Never fails, OnFailure succeeds', async () => {
    const never = pod({ restartPolicy: 'Never', containers: [{ name: 'c', image, command: ['sh', '-c', 'exit 1'] }] });
    expect((await syncUntil(never, (st) => st.phase !== 'Pending' && st.phase !== 'Running')).phase).toBe('Failed');
    const onFailure = pod({ restartPolicy: 'OnFailure', containers: [{ name: 'c', image, command: ['true'] }] });
    const s = await syncUntil(onFailure, (st) => st.phase === 'Succeeded');
    expect(cs(s, 'c')?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('runs init containers first, in order, sharing an emptyDir with the app', async () => {
    const mount = [{ name: 'work', mountPath: '/work' }];
    const p = pod({
      volumes: [{ name: 'work', emptyDir: {} }],
      initContainers: [
        { name: 'one', image, command: ['sh', '-c', 'echo one >> /work/log'], volumeMounts: mount },
        { name: 'two', image, command: ['sh', '-c', 'echo two >> /work/log'], volumeMounts: mount },
      ],
      containers: [{ name: 'app', image, command: ['sh', '-c', 'test "$(cat /work/log)" = "$(printf "one\\ntwo")" && sleep 1000'], volumeMounts: mount }],
    });
    const s = await syncUntil(p, (st) => st.phase === 'Running' && !!cs(st, 'app')?.state?.running);
    expect(s.initContainerStatuses?.map((c) => c.state?.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(s.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
  });

  it('waits for a missing configMap (FailedMount), then starts', async () => {
    const p = pod({ volumes: [{ name: 'cfg', configMap: { name: `cfg-${run}` } }], containers: [{ name: 'c', image, command: ['sh', '-c', 'cat /etc/app/k && sleep 1000'], volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }] }] });
    const r = await syncPod(p, deps);
    expect(r.retryInMs).toBe(2_000);
    expect(podStatus(p, r.observation).phase).toBe('Pending');
    expect(events.at(-1)).toMatchObject({ reason: 'FailedMount', type: 'Warning', message: `MountVolume.SetUp failed for volume "cfg" : configmap "cfg-${run}" not found` });
    configMaps = { [`cfg-${run}`]: { k: 'v' } };
    await syncUntil(p, (st) => st.phase === 'Running');
  });

  it('keeps a container the engine refuses waiting with CreateContainerError while the others run', async () => {
    const p = pod({ containers: [{ name: 'ok', image, command: ['sleep', '1000'] }, { name: 'bad', image, command: ['sleep', '1000'], workingDir: 'relative' }] });
    const st = await syncUntil(p, (s) => cs(s, 'ok')?.state?.running !== undefined && cs(s, 'bad')?.state?.waiting !== undefined);
    expect(cs(st, 'bad')?.state?.waiting).toMatchObject({ reason: 'CreateContainerError', message: expect.stringContaining('relative') });
    expect(events.some((e) => e.pod === p.metadata!.name && e.container === 'bad' && e.reason === 'Failed')).toBe(true);
  });

  it('kills a pod gracefully and removes every trace of it', async () => {
    const p = pod({ containers: [{ name: 'c', image, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'], lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo bye > /tmp/bye'] } } } }] });
    await syncUntil(p, (st) => st.phase === 'Running');
    const before = deps.ips.inUse;
    await killPod(deps, p.metadata!.uid!, p, 5);
    expect(await rt.listContainers({ 'io.kubernetes.pod.uid': p.metadata!.uid! })).toEqual([]);
    expect(existsSync(join(podsDir, p.metadata!.uid!))).toBe(false);
    expect(deps.ips.inUse).toBe(before - 1);
    expect(events.filter((e) => e.pod === p.metadata!.name).map((e) => e.reason)).toContain('Killing');
  });
});
