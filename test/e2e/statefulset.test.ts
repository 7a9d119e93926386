import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeNetwork } from '../../pkg/agent/agent.ts';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';

// StatefulSets on skiff server with its own agent, driven by the real kubectl on real Docker.
const node = `sts-${randomBytes(3).toString('hex')}`;
const cidr = `10.${90 + (randomBytes(1)[0]! % 40)}.0.0/16`;
const rt = new DockerRuntime();
let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(['--node-name', node, '--cluster-cidr', cidr], { agent: true });
});
afterAll(async () => {
  await s?.stop();
  for (const c of await rt.listContainers({ 'skiff.io/node': node })) await rt.removeContainer(c.id);
  await rt.removeNetwork(nodeNetwork(node).name);
});

const container = `      terminationGracePeriodSeconds: 1
      containers:
      - name: app
        image: skiff-test/busybox:latest
        imagePullPolicy: IfNotPresent`;

const rolling = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: roll}
spec:
  replicas: 2
  serviceName: roll
  selector: {matchLabels: {app: roll}}
  template:
    metadata: {labels: {app: roll}}
    spec:
${container}
        command: [sh, -c, "echo ok > /tmp/ok; httpd -f -p 8080 -h /tmp"]
        readinessProbe: {httpGet: {path: /ok, port: 8080}, periodSeconds: 1}
`;

type Pod = { metadata: { name: string; labels: Record<string, string>; deletionTimestamp?: string }; spec: { containers: { env?: { name: string; value: string }[] }[] } };
const livePods = (label: string): Pod[] => (JSON.parse(s.kubectl(['get', 'pods', '-l', label, '-o', 'json']).stdout).items as Pod[]).filter((p) => !p.metadata.deletionTimestamp);

describe.skipIf(!apiServed)(`StatefulSets on the real Docker engine${untilServed}`, () => {
  it('rolls out, rolls a new template, and undoes it with kubectl rollout', () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: rolling }).stdout).toBe('statefulset.apps/roll created\n');
    const first = s.kubectl(['rollout', 'status', 'statefulset/roll', '--timeout=90s']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/partitioned roll out complete: 2 new pods have been updated...\n$/);
    expect(livePods('app=roll').map((p) => p.metadata.name).sort()).toEqual(['roll-0', 'roll-1']);

    expect(s.kubectl(['set', 'env', 'statefulset/roll', 'COLOUR=blue']).stdout).toBe('statefulset.apps/roll env updated\n');
    expect(s.kubectl(['rollout', 'status', 'statefulset/roll', '--timeout=90s']).stdout).toMatch(/partitioned roll out complete: 2 new pods have been updated...\n$/);
    expect(livePods('app=roll').map((p) => p.spec.containers[0]!.env)).toEqual([[{ name: 'COLOUR', value: 'blue' }], [{ name: 'COLOUR', value: 'blue' }]]);
    const history = s.kubectl(['rollout', 'history', 'statefulset/roll']);
    expect(history.stderr).toBe('');
    expect(history.stdout).toMatch(/^1\s+<none>\n2\s+<none>\n/m);

    expect(s.kubectl(['rollout', 'undo', 'statefulset/roll']).stdout).toBe('statefulset.apps/roll rolled back\n');
    expect(s.kubectl(['rollout', 'status', 'statefulset/roll', '--timeout=90s']).stdout).toMatch(/partitioned roll out complete: 2 new pods have been updated...\n$/);
    expect(livePods('app=roll').map((p) => p.spec.containers[0]!.env)).toEqual([undefined, undefined]);
    expect(s.kubectl(['rollout', 'history', 'statefulset/roll']).stdout).toMatch(/^2\s+<none>\n3\s+<none>\n/m);
    const sts = JSON.parse(s.kubectl(['get', 'sts', 'roll', '-o', 'json']).stdout);
    expect(sts.status).toMatchObject({ replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);
    const events = s.kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']).stdout;
    expect(events).toContain('SuccessfulCreate: create Pod roll-1 in StatefulSet roll successful');
    expect(events).toContain('SuccessfulDelete: delete Pod roll-1 in StatefulSet roll successful');
  });
});
