import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import { apiServed, untilServed } from './harness.ts';
import { image, startCluster, until, type StreamingCluster } from './streaming-helpers.ts';

// Controllers end to end with kubectl: a DaemonSet over two nodes (the server's own agent and a
// joined one), a CronJob that fires, and a namespace whose deletion takes everything in it.
let c: StreamingCluster;
const rt = new DockerRuntime();

beforeAll(async () => {
  if (!apiServed) return;
  c = await startCluster('wl');
  await until(c.s, 'both nodes Ready', () => c.s.kubectl(['get', 'nodes', '--no-headers']).stdout,
    (out) => [c.local, c.remote].every((n) => new RegExp(`^${n}\\s+Ready\\s`, 'm').test(out)));
});
afterAll(async () => {
  await c?.stop();
});

const json = (args: string[]) => JSON.parse(c.s.kubectl([...args, '-o', 'json']).stdout || '{}');
const apply = (yaml: string) => {
  const r = c.s.kubectl(['apply', '-f', '-'], { input: yaml });
  if (r.code !== 0) throw new Error(r.stderr);
};

describe.skipIf(!apiServed)(`workload controllers with kubectl${untilServed}`, () => {
  it('runs a DaemonSet pod on every node and rolls an update through them, with history and undo', { timeout: 300_000 }, async () => {
    const ds = (word: string) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: default}\nspec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - {name: c, image: ${image}, imagePullPolicy: IfNotPresent, command: [sh, -c, "echo ${word}; sleep 1000"]}\n`;
    apply(ds('first'));
    expect(c.s.kubectl(['rollout', 'status', 'ds/agent', '--timeout=90s']).code).toBe(0);
    const pods = () => json(['get', 'pods', '-l', 'app=agent']).items as { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName: string; containers: { command: string[] }[] }; status: { phase: string } }[];
    expect(pods().map((p) => p.spec.nodeName).sort()).toEqual([c.local, c.remote].sort());
    const status = json(['get', 'ds', 'agent']).status;
    expect(status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2 });

    apply(ds('second'));
    expect(c.s.kubectl(['rollout', 'status', 'ds/agent', '--timeout=120s']).code).toBe(0);
    await until(c.s, 'only updated pods left', () => pods(), (ps) => ps.length === 2 && ps.every((p) => !p.metadata.deletionTimestamp && p.spec.containers[0]!.command[2]!.includes('second')));
    const logs = await until(c.s, 'new pods log', () => pods().map((p) => c.s.kubectl(['logs', p.metadata.name]).stdout), (l) => l.every((x) => x === 'second\n'));
    expect(logs).toEqual(['second\n', 'second\n']);
    expect(c.s.kubectl(['rollout', 'history', 'ds/agent']).stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    // Undo brings the first template back as revision 3, rolled through both nodes.
    expect(c.s.kubectl(['rollout', 'undo', 'ds/agent']).stdout).toBe('daemonset.apps/agent rolled back\n');
    expect(c.s.kubectl(['rollout', 'status', 'ds/agent', '--timeout=120s']).code).toBe(0);
    await until(c.s, 'first template back', () => pods(), (ps) => ps.length === 2 && ps.every((p) => !p.metadata.deletionTimestamp && p.spec.containers[0]!.command[2]!.includes('first')));
    expect(c.s.kubectl(['rollout', 'history', 'ds/agent']).stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
    expect(c.s.kubectl(['delete', 'ds', 'agent', '--timeout=60s']).code).toBe(0);
    await until(c.s, 'DaemonSet pods gone', () => pods().length, (n) => n === 0);
  });

  it('fires a CronJob on its schedule and keeps the Job and its log', { timeout: 180_000 }, async () => {
    // From YAML: `kubectl create cronjob` leaves imagePullPolicy to the :latest default (Always),
    // and this machine has no registry to pull the locally built image from.
    apply(`apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: tick, namespace: default}\nspec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - {name: tick, image: ${image}, imagePullPolicy: IfNotPresent, command: [sh, -c, 'echo tick from $(hostname)']}\n`);
    // The next minute boundary at the latest, plus the time to run.
    const jobs = await until(c.s, 'a job of tick completes', () => json(['get', 'jobs']).items as { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] }; status?: { succeeded?: number } }[],
      (js) => js.some((j) => j.metadata.ownerReferences?.[0]?.name === 'tick' && j.status?.succeeded === 1), 150_000);
    const job = jobs.find((j) => j.status?.succeeded === 1)!;
    expect(job.metadata.name).toMatch(/^tick-\d+$/);
    expect(c.s.kubectl(['logs', `job/${job.metadata.name}`]).stdout).toMatch(/^tick from tick-\d+-\w+\n$/);
    const cj = json(['get', 'cronjob', 'tick']);
    expect(cj.status.lastScheduleTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    expect(cj.status.lastSuccessfulTime).toBeDefined();
    expect(c.s.kubectl(['get', 'cronjob', 'tick', '--no-headers']).stdout).toMatch(/^tick\s+\* \* \* \* \*\s+<none>\s+False\s+\d\s+\S+\s+\S+\n$/);
    expect(c.s.kubectl(['delete', 'cronjob', 'tick']).code).toBe(0);
  });

  it('deletes a namespace with everything in it, containers included', async () => {
    expect(c.s.kubectl(['create', 'namespace', 'doomed']).code).toBe(0);
    apply(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: doomed}\nspec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: ${image}, imagePullPolicy: IfNotPresent, command: [sh, -c, "sleep 1000"]}]
---
apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: doomed}\nspec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: doomed}\ndata: {a: b}
---
apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: doomed}\nstringData: {password: hunter2}\n`);
    expect(c.s.kubectl(['rollout', 'status', 'deploy/web', '-n', 'doomed', '--timeout=90s']).code).toBe(0);
    const uids = (json(['get', 'pods', '-n', 'doomed']).items as { metadata: { uid: string } }[]).map((p) => p.metadata.uid);
    expect(uids).toHaveLength(2);

    const deleted = c.s.kubectl(['delete', 'namespace', 'doomed', '--timeout=120s']);
    expect(deleted).toMatchObject({ code: 0, stdout: 'namespace "doomed" deleted\n' });
    const gone = c.s.kubectl(['get', 'namespace', 'doomed']);
    expect(gone.stderr).toContain('namespaces "doomed" not found');
    for (const kind of ['pods', 'replicasets', 'deployments', 'services', 'configmaps', 'secrets', 'serviceaccounts', 'endpoints']) {
      expect(c.s.kubectl(['get', kind, '-n', 'doomed', '-o', 'name']).stdout).toBe('');
    }
    // The agents remove a deleted pod's containers (the graceful delete already waited for them).
    for (const uid of uids) expect(await rt.listContainers({ 'io.kubernetes.pod.uid': uid })).toEqual([]);
  });
});
