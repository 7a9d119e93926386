import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

// skiff server with its own agent on the real Docker engine, driven by the real kubectl.
const node = `e2e-${randomBytes(3).toString('hex')}`;
// Its own pod network, so it never overlaps another server's on this Docker engine.
const cidr = `10.${100 + (randomBytes(1)[0]! % 100)}.0.0/16`;
const args = ['--node-name', node, '--cluster-cidr', cidr];
const rt = new DockerRuntime();
let s: TestServer;

beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(args, { agent: true });
});
afterAll(async () => {
  await s?.stop();
  await removeNodeLeftovers(node);
});

const image = 'skiff-test/busybox:latest';
const podYaml = (name: string, spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: default}\nspec:\n  nodeName: ${node}\n  terminationGracePeriodSeconds: 1\n${spec}`;
const container = (name: string, command: string, extra = '') => `  - name: ${name}\n    image: ${image}\n    imagePullPolicy: IfNotPresent\n    command: [sh, -c, ${JSON.stringify(command)}]\n${extra}`;

async function until<T>(what: string, get: () => T, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = get();
  while (!ok(v)) {
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last: ${JSON.stringify(v)}\n${s.logs().split('\n').slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
    v = get();
  }
  return v;
}
const pod = (name: string) => JSON.parse(s.kubectl(['get', 'pod', name, '-o', 'json']).stdout || '{}');
const row = (name: string) => s.kubectl(['get', 'pod', name, '--no-headers']).stdout.trim().split(/\s+/);

describe.skipIf(!apiServed)(`pods on the real Docker engine${untilServed}`, () => {
  it('registers its node Ready with a pod CIDR', async () => {
    const n = await until('node Ready', () => JSON.parse(s.kubectl(['get', 'node', node, '-o', 'json']).stdout || '{}'),
      (x) => x.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
    expect(n.spec.podCIDR).toBe(`${cidr.slice(0, -7)}.0.0/24`);
    expect(n.status.nodeInfo.containerRuntimeVersion).toMatch(/^docker:\/\//);
    expect(s.kubectl(['get', 'lease', node, '-n', 'kube-node-lease', '-o', 'jsonpath={.spec.holderIdentity}']).stdout).toBe(node);
  });

  it('runs a two-container pod whose containers share localhost, Ready through a readiness probe', async () => {
    const yaml = podYaml('duo', `  containers:\n${container('web', 'httpd -f -p 8080 -h /etc', '    readinessProbe: {httpGet: {path: /hostname, port: 8080}, periodSeconds: 1}\n')}${container('client', 'until wget -qO /tmp/got http://127.0.0.1:8080/hostname; do sleep 0.2; done; sleep 1000')}`);
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    await until('duo Ready', () => row('duo'), (r) => r[1] === '2/2' && r[2] === 'Running');
    const p = pod('duo');
    expect(p.status.podIP.startsWith(cidr.slice(0, -6))).toBe(true);
    expect(p.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    const client = p.status.containerStatuses.find((c: { name: string }) => c.name === 'client').containerID.replace('docker://', '');
    const got = await until('client fetched', () => 0, () => true).then(async () => {
      for (let i = 0; i < 40; i++) {
        const r = await rt.exec(client, ['cat', '/tmp/got'], { timeoutMs: 2_000 });
        if (r.exitCode === 0) return r.stdout;
        await new Promise((res) => setTimeout(res, 250));
      }
      return '';
    });
    expect(got).toBe('duo\n');
    const events = s.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=duo', '-o', 'jsonpath={range .items[*]}{.reason}{" "}{end}']).stdout;
    expect(events).toContain('Started');
  });

  it('restarts a crashing container and shows CrashLoopBackOff; a failed liveness probe restarts too', async () => {
    const yaml = podYaml('crashy', `  containers:\n${container('crash', 'exit 2')}${container('live', 'sleep 1000', '    livenessProbe: {exec: {command: [test, -f, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 2}\n')}`);
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    await until('crash backs off', () => row('crashy'), (r) => r[2] === 'CrashLoopBackOff');
    type Cs = { name: string; restartCount: number; lastState: { terminated?: object } };
    const statuses: Cs[] = await until('live restarted', () => (pod('crashy').status?.containerStatuses ?? []) as Cs[], (cs) => (cs.find((c) => c.name === 'live')?.restartCount ?? 0) >= 1);
    expect(statuses.find((c) => c.name === 'crash')?.lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    const reasons = s.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=crashy', '-o', 'jsonpath={range .items[*]}{.reason}{" "}{end}']).stdout;
    expect(reasons).toContain('BackOff');
    expect(reasons).toContain('Unhealthy');
    expect(reasons).toContain('Killing');
  });

  it('ends a restartPolicy Never pod as Completed, with configMap env and volume', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: greet}\ndata: {word: hello}\n';
    expect(s.kubectl(['apply', '-f', '-'], { input: cm }).stderr).toBe('');
    const yaml = podYaml('once', `  restartPolicy: Never\n  volumes: [{name: cfg, configMap: {name: greet}}]\n  containers:\n${container('c', 'test "$WORD" = hello && test "$(cat /etc/greet/word)" = hello', '    env: [{name: WORD, valueFrom: {configMapKeyRef: {name: greet, key: word}}}]\n    volumeMounts: [{name: cfg, mountPath: /etc/greet}]\n')}`);
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    const r = await until('once completes', () => row('once'), (x) => x[2] === 'Completed' || x[2] === 'Error');
    expect(r[2]).toBe('Completed');
    expect(pod('once').status.phase).toBe('Succeeded');
  });

  it('schedules a pod that names no node onto this one', async () => {
    const yaml = `apiVersion: v1\nkind: Pod\nmetadata: {name: free}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n${container('c', 'sleep 1000')}`;
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    await until('free running', () => row('free'), (r) => r[2] === 'Running');
    expect(pod('free').spec.nodeName).toBe(node);
    const described = s.kubectl(['describe', 'pod', 'free']).stdout;
    expect(described).toMatch(new RegExp(`Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/free to ${node}`));
  });

  it('deletes a pod gracefully and removes its containers', async () => {
    const uid = pod('duo').metadata.uid;
    expect(s.kubectl(['delete', 'pod', 'duo', '--timeout=60s']).stdout).toBe('pod "duo" deleted\n');
    await until('containers removed', () => 0, () => true);
    expect(await rt.listContainers({ 'io.kubernetes.pod.uid': uid })).toEqual([]);
  });

  it('adopts running containers after a restart, without restarting them', async () => {
    const yaml = podYaml('steady', `  containers:\n${container('c', 'sleep 1000')}`);
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    await until('steady running', () => row('steady'), (r) => r[2] === 'Running');
    const before = pod('steady').status.containerStatuses[0].containerID;
    await s.stop({ keep: true });
    s = await startServer(args, { agent: true, dir: s.dir });
    await new Promise((r) => setTimeout(r, 3_000)); // a few relists and syncs
    const after = pod('steady').status.containerStatuses[0];
    expect(after.containerID).toBe(before);
    expect(after.restartCount).toBe(0);
    expect(row('steady')[2]).toBe('Running');
  });
});
