import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';
import { containerYaml, image, podYaml, runningPod, until } from './streaming-helpers.ts';

// `kubectl debug` on the real Docker engine: ephemeral containers added through
// pods/ephemeralcontainers, started once by the agent in the pod's sandbox, optionally in a
// target container's PID namespace, with their logs, exec and status.
let s: TestServer;
const node = `debug-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(['--node-name', node], { agent: true });
  await until(s, 'node Ready', () => s.kubectl(['get', 'node', node, '--no-headers']).stdout, (out) => /\sReady\s/.test(out));
  await runningPod(s, 'app', podYaml('app', node, containerYaml('c', 'exec sleep 4242')));
});
afterAll(async () => {
  await s?.stop();
  await removeNodeLeftovers(node);
});

const debug = (...args: string[]) => s.kubectl(['debug', 'app', `--image=${image}`, '--image-pull-policy=IfNotPresent', '--profile=general', ...args]);
const state = (i: number) => s.kubectl(['get', 'pod', 'app', '-o', `jsonpath={.status.ephemeralContainerStatuses[${i}].state}`]).stdout;

describe.skipIf(!apiServed)(`kubectl debug${untilServed}`, () => {
  it('runs a debug container once and shows its logs and terminated state', async () => {
    const r = debug('-c', 'dbg', '--', 'sh', '-c', 'echo from-debug');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const st = await until(s, 'dbg terminated', () => state(0), (v) => v.includes('terminated'));
    expect(JSON.parse(st)).toMatchObject({ terminated: { exitCode: 0, reason: 'Completed' } });
    expect(s.kubectl(['logs', 'app', '-c', 'dbg']).stdout).toBe('from-debug\n');
    const pod = JSON.parse(s.kubectl(['get', 'pod', 'app', '-o', 'json']).stdout);
    expect(pod.spec.ephemeralContainers).toEqual([expect.objectContaining({ name: 'dbg', image, command: ['sh', '-c', 'echo from-debug'] })]);
    expect(pod.status.ephemeralContainerStatuses[0]).toMatchObject({ name: 'dbg', image, ready: false, restartCount: 0, containerID: expect.stringMatching(/^docker:\/\//) });
    // Never restarted, and the pod's own containers are untouched.
    await new Promise((res) => setTimeout(res, 2_500));
    expect(JSON.parse(state(0)).terminated.containerID).toBe(pod.status.ephemeralContainerStatuses[0].containerID);
    expect(pod.status.containerStatuses[0].restartCount).toBe(0);
    const described = s.kubectl(['describe', 'pod', 'app']).stdout;
    expect(described).toMatch(/Ephemeral Containers:\n\s+dbg:\n\s+Container ID:\s+docker:\/\/[0-9a-f]+\n/);
    expect(described).toMatch(/State:\s+Terminated\n\s+Reason:\s+Completed/);
    // A second container of the same name is refused as upstream refuses it.
    const again = debug('-c', 'dbg', '--', 'true');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('spec.ephemeralContainers[dbg]: Forbidden: existing ephemeral containers "dbg" may not be changed');
  });

  it("sees the target container's processes with --target", async () => {
    expect(debug('-c', 'ps', '--target=c', '--', 'sh', '-c', 'ps').code).toBe(0);
    await until(s, 'ps terminated', () => state(1), (v) => v.includes('terminated'));
    const out = s.kubectl(['logs', 'app', '-c', 'ps']).stdout;
    expect(out).toContain('sleep 4242');
    const bad = debug('-c', 'bad', '--target=nope', '--', 'true');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/spec\.ephemeralContainers\[\d\]\.targetContainerName: Not found: "nope"/);
    // Without a target it shares the pod's network but has its own processes.
    expect(debug('-c', 'nops', '--', 'sh', '-c', 'ps; cat /etc/hostname').code).toBe(0);
    await until(s, 'nops terminated', () => state(2), (v) => v.includes('terminated'));
    const own = s.kubectl(['logs', 'app', '-c', 'nops']).stdout;
    expect(own).not.toContain('sleep 4242');
    expect(own).toContain('app\n');
  });

  it('keeps a long-running debug container running, reachable by exec', async () => {
    expect(debug('-c', 'shell', '--', 'sleep', '1000').code).toBe(0);
    await until(s, 'shell running', () => state(3), (v) => v.includes('running'));
    expect(s.kubectl(['exec', 'app', '-c', 'shell', '--', 'echo', 'inside']).stdout).toBe('inside\n');
    expect(s.kubectl(['get', 'pod', 'app', '-o', 'jsonpath={.status.phase}']).stdout).toBe('Running');
  });

  it('debugs a copy of the pod with --copy-to, sharing its process namespace', async () => {
    const r = debug('--copy-to=app-copy', '--share-processes', '-c', 'dbg', '--', 'sh', '-c', 'ps; sleep 1000');
    expect(r.code).toBe(0);
    const copy = JSON.parse(s.kubectl(['get', 'pod', 'app-copy', '-o', 'json']).stdout);
    expect(copy.spec.shareProcessNamespace).toBe(true);
    const out = await until(s, 'ps in the copy', () => s.kubectl(['logs', 'app-copy', '-c', 'dbg']).stdout, (v) => v.includes('PID'));
    expect(out).toContain('sleep 4242');
    expect(out).toMatch(/^\s*1 .*\/pause/m);
    expect(s.kubectl(['delete', 'pod', 'app-copy', '--wait=false']).code).toBe(0);
  });

  it('debugs the node with a pod in its PID, IPC and network namespaces and its root at /host', async () => {
    const r = s.kubectl(['debug', `node/${node}`, `--image=${image}`, '--image-pull-policy=IfNotPresent', '--profile=general', '--', 'sh', '-c', 'ps; ls /host/proc/1/']);
    expect(r.code).toBe(0);
    const name = /pod (node-debugger-\S+)/.exec(r.stdout + r.stderr)?.[1];
    expect(name).toBeDefined();
    const pod = JSON.parse(s.kubectl(['get', 'pod', name!, '-o', 'json']).stdout);
    expect(pod.spec).toMatchObject({ hostPID: true, hostIPC: true, hostNetwork: true, nodeName: node });
    const out = await until(s, 'node debugger output', () => s.kubectl(['logs', name!]).stdout, (v) => v.includes('cmdline'));
    // Host processes: the Docker engine and this very test run are visible.
    expect(out).toContain('dockerd');
    expect(s.kubectl(['delete', 'pod', name!, '--wait=false']).code).toBe(0);
  });
});
