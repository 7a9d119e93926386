import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from './fixtures.ts';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

// `kubectl drain` of the server's own node (real Docker) against a PodDisruptionBudget: on one
// node the evicted pods' replacements cannot be scheduled, so the budget runs out and drain waits.
const node = `drain-${randomBytes(3).toString('hex')}`;
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

const podSpec = (command: string, extra = '') => `      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: skiff-test/busybox:latest
        imagePullPolicy: IfNotPresent
        command: [sh, -c, "${command}"]
${extra}`;

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${podSpec('echo ok > /tmp/ok; httpd -f -p 8080 -h /tmp', '        readinessProbe: {httpGet: {path: /ok, port: 8080}, periodSeconds: 1}')}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: scratch}
spec:
  replicas: 1
  selector: {matchLabels: {app: scratch}}
  template:
    metadata: {labels: {app: scratch}}
    spec:
${podSpec('sleep 3600', '        volumeMounts: [{name: tmp, mountPath: /scratch}]\n      volumes: [{name: tmp, emptyDir: {}}]')}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agentd}
spec:
  selector: {matchLabels: {app: agentd}}
  template:
    metadata: {labels: {app: agentd}}
    spec:
${podSpec('sleep 3600')}
`;

async function eventually(what: string, check: () => boolean, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: timed out`);
}

const allowed = () => s.kubectl(['get', 'pdb', 'web', '-o', 'jsonpath={.status.disruptionsAllowed}']).stdout;
const podNames = (label: string) => s.kubectl(['get', 'pods', '-l', label, '-o', 'jsonpath={.items[*].metadata.name}']).stdout.split(' ').filter(Boolean);

describe.skipIf(!apiServed)(`kubectl drain with a PodDisruptionBudget on the real Docker engine${untilServed}`, () => {
  it('evicts while the budget allows, waits (429) when it does not, and drains once it allows everything', async () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: manifests }).stderr).toBe('');
    for (const w of ['deployment/web', 'deployment/scratch', 'daemonset/agentd']) expect(s.kubectl(['rollout', 'status', w, '--timeout=120s']).code).toBe(0);
    expect(s.kubectl(['create', 'poddisruptionbudget', 'web', '--selector=app=web', '--min-available=1']).stdout).toBe('poddisruptionbudget.policy/web created\n');
    await eventually('budget computed', () => allowed() === '1');
    expect(tableRows(s.kubectl(['get', 'pdb', 'web']).stdout)[1]).toEqual(['web', '1', 'N/A', '1', expect.any(String)]);
    const status = JSON.parse(s.kubectl(['get', 'pdb', 'web', '-o', 'json']).stdout).status;
    expect(status).toMatchObject({ currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1, observedGeneration: 1 });
    expect(status.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' });
    const described = s.kubectl(['describe', 'pdb', 'web']).stdout;
    for (const line of [/^Min available:\s+1$/m, /^Selector:\s+app=web$/m, /^\s+Allowed disruptions:\s+1$/m, /^\s+Current:\s+2$/m, /^\s+Desired:\s+1$/m, /^\s+Total:\s+2$/m]) {
      expect(described).toMatch(line);
    }

    // Without the flags drain refuses DaemonSet pods and emptyDir data (after cordoning).
    const refused = s.kubectl(['drain', node, '--timeout=20s']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)');
    expect(refused.stderr).toContain('cannot delete Pods with local storage (use --delete-emptydir-data to override)');
    expect(tableRows(s.kubectl(['get', 'node', node]).stdout)[1]![1]).toBe('Ready,SchedulingDisabled');

    const [webBefore, scratch] = [podNames('app=web'), podNames('app=scratch')];
    const blocked = s.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=25s']);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout).toContain(`pod/${scratch[0]} evicted`);
    const evictedWeb = webBefore.filter((p) => blocked.stdout.includes(`pod/${p} evicted`));
    expect(evictedWeb).toHaveLength(1);
    const kept = webBefore.find((p) => p !== evictedWeb[0])!;
    expect(blocked.stderr).toContain(`error when evicting pods/"${kept}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`);
    expect(blocked.stderr).toContain(`error when evicting pods/"${kept}" -n "default": global timeout reached: 25s`);
    expect(blocked.stderr).not.toContain(`pods/"${evictedWeb[0]}"`);
    // The kept pod still runs; the replacement waits for a schedulable node.
    expect(JSON.parse(s.kubectl(['get', 'pod', kept, '-o', 'json']).stdout).metadata.deletionTimestamp).toBeUndefined();
    expect(allowed()).toBe('0');

    expect(s.kubectl(['uncordon', node]).stdout).toBe(`node/${node} uncordoned\n`);
    expect(s.kubectl(['rollout', 'status', 'deployment/web', '--timeout=120s']).code).toBe(0);
    await eventually('budget back', () => allowed() === '1');

    // A budget that allows every pod to go lets the drain finish.
    expect(s.kubectl(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":0}}']).code).toBe(0);
    await eventually('budget opened', () => allowed() === '2');
    const drained = s.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
    expect(drained.stderr).toContain('Warning: ignoring DaemonSet-managed Pods: default/agentd-');
    expect(drained.stdout).toMatch(new RegExp(`node/${node} drained\\n$`));
    expect(podNames('app=agentd')).toHaveLength(1);
    expect(s.kubectl(['uncordon', node]).code).toBe(0);
  });
});
