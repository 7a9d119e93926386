import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';
import { tableRows } from './fixtures.ts';

// A Deployment on skiff server with its own agent, driven by the real kubectl on real Docker.
const node = `deploy-${randomBytes(3).toString('hex')}`;
const cidr = `10.${50 + (randomBytes(1)[0]! % 40)}.0.0/16`;
let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(['--node-name', node, '--cluster-cidr', cidr], { agent: true });
});
afterAll(async () => {
  await s?.stop();
  await removeNodeLeftovers(node);
});

const manifest = (tag: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: skiff-test/busybox:latest
        imagePullPolicy: IfNotPresent
        command: [sh, -c, "echo ${tag} > /tmp/v; httpd -f -p 8080 -h /tmp"]
        readinessProbe: {httpGet: {path: /v, port: 8080}, periodSeconds: 1}
`;

describe.skipIf(!apiServed)(`Deployments on the real Docker engine${untilServed}`, () => {
  it('rolls out with kubectl, then rolls a new template and reports it', async () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: manifest('one') }).stderr).toBe('');
    const first = s.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/deployment "web" successfully rolled out\n$/);
    expect(tableRows(s.kubectl(['get', 'deploy', 'web']).stdout)[1]).toEqual(['web', '2/2', '2', '2', expect.any(String)]);

    expect(s.kubectl(['apply', '-f', '-'], { input: manifest('two') }).stdout).toBe('deployment.apps/web configured\n');
    const second = s.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']);
    expect(second.stdout).toMatch(/deployment "web" successfully rolled out\n$/);
    const pods = JSON.parse(s.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json']).stdout).items.filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp);
    expect(pods).toHaveLength(2);
    expect(pods.every((p: { spec: { containers: { command: string[] }[] } }) => p.spec.containers[0]!.command[2]!.includes('two'))).toBe(true);
    const history = s.kubectl(['rollout', 'history', 'deployment/web']).stdout;
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+<none>$/m);
    expect(s.kubectl(['get', 'rs', '-l', 'app=web', '--no-headers']).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('rollout undo, restart, pause and resume work as with upstream', () => {
    const images = () => JSON.parse(s.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json']).stdout).items
      .filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp)
      .map((p: { spec: { containers: { command: string[]; env?: unknown[] }[] } }) => p.spec.containers[0]!.command[2]!.split(' ')[1]);
    expect(s.kubectl(['rollout', 'undo', 'deployment/web']).stdout).toBe('deployment.apps/web rolled back\n');
    expect(s.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']).stdout).toMatch(/successfully rolled out\n$/);
    expect(images()).toEqual(['one', 'one']);
    expect(s.kubectl(['rollout', 'history', 'deployment/web']).stdout).toMatch(/^2\s+<none>\n3\s+<none>\n/m);

    expect(s.kubectl(['rollout', 'restart', 'deployment/web']).stdout).toBe('deployment.apps/web restarted\n');
    expect(s.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']).stdout).toMatch(/successfully rolled out\n$/);
    expect(s.kubectl(['rollout', 'history', 'deployment/web']).stdout).toMatch(/^4\s+<none>$/m);

    expect(s.kubectl(['rollout', 'pause', 'deployment/web']).stdout).toBe('deployment.apps/web paused\n');
    s.kubectl(['set', 'env', 'deployment/web', 'COLOUR=blue']);
    const paused = JSON.parse(s.kubectl(['get', 'deployment', 'web', '-o', 'json']).stdout);
    expect(paused.spec.paused).toBe(true);
    const sets = JSON.parse(s.kubectl(['get', 'rs', '-l', 'app=web', '-o', 'json']).stdout).items
      .map((rs: { metadata: { annotations: Record<string, string> }; spec: { template: { spec: { containers: { env?: unknown }[] } } } }) => [rs.metadata.annotations['deployment.kubernetes.io/revision'], rs.spec.template.spec.containers[0]!.env]);
    expect(sets, JSON.stringify(sets)).toHaveLength(3);
    expect(s.kubectl(['rollout', 'resume', 'deployment/web']).stdout).toBe('deployment.apps/web resumed\n');
    expect(s.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']).stdout).toMatch(/successfully rolled out\n$/);
    expect(s.kubectl(['get', 'rs', '-l', 'app=web', '--no-headers']).stdout.trim().split('\n')).toHaveLength(4);
    const env = JSON.parse(s.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json']).stdout).items
      .filter((p: { metadata: { deletionTimestamp?: string } }) => !p.metadata.deletionTimestamp)
      .map((p: { spec: { containers: { env?: { name: string; value: string }[] }[] } }) => p.spec.containers[0]!.env);
    expect(env).toEqual([[{ name: 'COLOUR', value: 'blue' }], [{ name: 'COLOUR', value: 'blue' }]]);
  });

  it('runs a Job to completion', () => {
    const job = `apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec:\n  completions: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {name: c, image: skiff-test/busybox:latest, imagePullPolicy: IfNotPresent, command: [sh, -c, 'echo done']}\n`;
    expect(s.kubectl(['apply', '-f', '-'], { input: job }).stderr).toBe('');
    const w = s.kubectl(['wait', '--for=condition=complete', 'job/once', '--timeout=90s']);
    expect(w.stdout).toBe('job.batch/once condition met\n');
    expect(tableRows(s.kubectl(['get', 'job', 'once']).stdout)[1]?.slice(0, 3)).toEqual(['once', 'Complete', '2/2']);
    const pods = tableRows(s.kubectl(['get', 'pods', '-l', 'job-name=once']).stdout).slice(1);
    expect(pods.map((r) => r[2])).toEqual(['Completed', 'Completed']);
  });

  it('scales with kubectl scale', async () => {
    expect(s.kubectl(['scale', 'deployment/web', '--replicas=3']).stdout).toBe('deployment.apps/web scaled\n');
    expect(s.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']).stdout).toMatch(/successfully rolled out/);
    expect(tableRows(s.kubectl(['get', 'deploy', 'web']).stdout)[1]?.[1]).toBe('3/3');
  });
});
