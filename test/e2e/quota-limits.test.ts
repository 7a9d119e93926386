import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';

// ResourceQuota and LimitRange admission through the real kubectl (no agent: pods stay Pending,
// which still counts against a quota).
let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
});
afterAll(async () => s?.stop());

const policy = `apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 128Mi}
    defaultRequest: {cpu: 250m, memory: 64Mi}
    max: {cpu: "1"}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute}
spec:
  hard: {pods: "2", requests.cpu: "1", limits.memory: 1Gi, count/configmaps: "5"}
`;

const pod = (name: string, resources = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
  - name: app
    image: skiff-test/busybox:latest
${resources}`;

async function eventually(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: timed out`);
}

describe.skipIf(!apiServed)(`ResourceQuota and LimitRange with kubectl${untilServed}`, () => {
  it('defaults container resources from a LimitRange and refuses pods beyond the quota', async () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: policy }).stdout).toBe('limitrange/defaults created\nresourcequota/compute created\n');
    // The quota controller fills in status before the quota restricts anything.
    await eventually('quota status', () => /^pods\s+0\s+2$/m.test(s.kubectl(['describe', 'quota', 'compute']).stdout));

    expect(s.kubectl(['apply', '-f', '-'], { input: pod('a') }).stdout).toBe('pod/a created\n');
    const a = JSON.parse(s.kubectl(['get', 'pod', 'a', '-o', 'json']).stdout);
    expect(a.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } });
    const yaml = s.kubectl(['get', 'pod', 'a', '-o', 'yaml']).stdout;
    expect(yaml).toMatch(/ {6}limits:\n {8}cpu: 500m\n {8}memory: 128Mi\n {6}requests:\n {8}cpu: 250m\n {8}memory: 64Mi\n/);
    expect(yaml).toContain('qosClass: Burstable');
    expect(a.metadata.annotations['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');

    // A request above the defaulted limit is invalid, as upstream (LimitRanger defaults, then validation).
    expect(s.kubectl(['apply', '-f', '-'], { input: pod('b', '    resources: {requests: {cpu: 600m}}') }).stderr).toContain('spec.containers[0].resources.requests: Invalid value: "600m": must be less than or equal to cpu limit of 500m');
    expect(s.kubectl(['apply', '-f', '-'], { input: pod('b', '    resources: {requests: {cpu: 600m}, limits: {cpu: 600m}}') }).stdout).toBe('pod/b created\n');
    const describe = s.kubectl(['describe', 'quota', 'compute']).stdout;
    expect(describe).toMatch(/^Resource\s+Used\s+Hard$/m);
    expect(describe).toMatch(/^pods\s+2\s+2$/m);
    expect(describe).toMatch(/^requests\.cpu\s+850m\s+1$/m);
    expect(describe).toMatch(/^limits\.memory\s+256Mi\s+1Gi$/m);
    expect(s.kubectl(['get', 'quota', 'compute', '--no-headers']).stdout).toMatch(/count\/configmaps: 1\/5, pods: 2\/2, requests\.cpu: 850m\/1\s+limits\.memory: 256Mi\/1Gi/);

    const third = s.kubectl(['apply', '-f', '-'], { input: pod('c') });
    expect(third.code).not.toBe(0);
    expect(third.stderr).toContain('pods "c" is forbidden: exceeded quota: compute, requested: pods=1,requests.cpu=250m, used: pods=2,requests.cpu=850m, limited: pods=2,requests.cpu=1');

    // Room for one more pod, but not for its cpu; and the LimitRange's max still applies.
    s.kubectl(['delete', 'pod', 'a', '--wait=false']);
    await eventually('pod a gone from usage', () => /^pods\s+1\s+2$/m.test(s.kubectl(['describe', 'quota', 'compute']).stdout));
    const cpu = s.kubectl(['apply', '-f', '-'], { input: pod('d', '    resources: {requests: {cpu: 500m}}') });
    expect(cpu.stderr).toContain('pods "d" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1');
    const max = s.kubectl(['apply', '-f', '-'], { input: pod('e', '    resources: {limits: {cpu: "2"}}') });
    expect(max.stderr).toContain('pods "e" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
    expect(s.kubectl(['get', 'pods', '-o', 'name']).stdout).toBe('pod/b\n');
  });

  it('makes containers state what a quota limits when no LimitRange defaults it', async () => {
    expect(s.kubectl(['create', 'namespace', 'bare']).code).toBe(0);
    const quota = 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: mem, namespace: bare}\nspec:\n  hard: {requests.memory: 1Gi}\n';
    expect(s.kubectl(['apply', '-f', '-'], { input: quota }).code).toBe(0);
    await eventually('quota status', () => /^requests\.memory\s+0\s+1Gi$/m.test(s.kubectl(['describe', 'quota', 'mem', '-n', 'bare']).stdout));
    const r = s.kubectl(['apply', '-n', 'bare', '-f', '-'], { input: pod('p') });
    expect(r.stderr).toContain('pods "p" is forbidden: failed quota: mem: must specify requests.memory for: app');
    expect(s.kubectl(['apply', '-n', 'bare', '-f', '-'], { input: pod('p', '    resources: {requests: {memory: 100Mi}}') }).stdout).toBe('pod/p created\n');
    expect(s.kubectl(['describe', 'quota', 'mem', '-n', 'bare']).stdout).toMatch(/^requests\.memory\s+100Mi\s+1Gi$/m);
  });

  it('counts objects of any kind, with quotas made by kubectl create quota', async () => {
    expect(s.kubectl(['create', 'quota', 'objects', '-n', 'bare', '--hard=count/secrets=1,count/deployments.apps=1']).stdout).toBe('resourcequota/objects created\n');
    await eventually('quota status', () => /^count\/secrets\s+0\s+1$/m.test(s.kubectl(['describe', 'quota', 'objects', '-n', 'bare']).stdout));
    expect(s.kubectl(['create', 'secret', 'generic', 'one', '-n', 'bare', '--from-literal=a=b']).code).toBe(0);
    const two = s.kubectl(['create', 'secret', 'generic', 'two', '-n', 'bare', '--from-literal=a=b']);
    expect(two.stderr).toBe('error: failed to create secret secrets "two" is forbidden: exceeded quota: objects, requested: count/secrets=1, used: count/secrets=1, limited: count/secrets=1\n');
    expect(s.kubectl(['create', 'deployment', 'd1', '-n', 'bare', '--image=skiff-test/busybox:latest']).code).toBe(0);
    expect(s.kubectl(['create', 'deployment', 'd2', '-n', 'bare', '--image=skiff-test/busybox:latest']).stderr)
      .toContain('deployments.apps "d2" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1');
    // Deleting frees the quota.
    expect(s.kubectl(['delete', 'deployment', 'd1', '-n', 'bare']).code).toBe(0);
    await eventually('freed', () => /^count\/deployments\.apps\s+0\s+1$/m.test(s.kubectl(['describe', 'quota', 'objects', '-n', 'bare']).stdout));
    expect(s.kubectl(['create', 'deployment', 'd2', '-n', 'bare', '--image=skiff-test/busybox:latest']).code).toBe(0);
  });
});
