import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

// metrics.k8s.io and the HPA on a real server with its own agent (real Docker), driven by the real kubectl.
const node = `e2e-m-${randomBytes(3).toString('hex')}`;
const cidr = `10.${100 + (randomBytes(1)[0]! % 100)}.0.0/16`;
let s: TestServer;

beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(['--node-name', node, '--cluster-cidr', cidr], { agent: true });
});
afterAll(async () => {
  await s?.stop();
  await removeNodeLeftovers(node);
});

const image = 'skiff-test/busybox:latest';

async function until<T>(what: string, get: () => T, ok: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = get();
  while (!ok(v)) {
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last: ${JSON.stringify(v)}\n${s.logs().split('\n').slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 1_000));
    v = get();
  }
  return v;
}

/** kubectl top's figures: rows of [name, cpu, memory] (memory in Mi, cpu in m). */
const rows = (out: string) => out.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));

const burner = (name: string, cpu: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: burn
        image: ${image}
        imagePullPolicy: IfNotPresent
        command: [sh, -c, 'while :; do :; done']
        resources: {requests: {cpu: ${cpu}, memory: 16Mi}}
      - name: idle
        image: ${image}
        imagePullPolicy: IfNotPresent
        command: [sleep, '3600']
`;

describe.skipIf(!apiServed)(`metrics.k8s.io with kubectl top${untilServed}`, () => {
  it('lists the metrics group in discovery', () => {
    const r = s.kubectl(['api-resources', '--api-group', 'metrics.k8s.io', '--no-headers']);
    expect(r.stderr).toBe('');
    const names = rows(`x\n${r.stdout}`).map((c) => `${c[0]} ${c.at(-1)}`).sort();
    expect(names).toEqual(['nodes NodeMetrics', 'pods PodMetrics']);
  });

  it('kubectl top node shows the node\'s CPU and memory', async () => {
    const out = await until('top node', () => s.kubectl(['top', 'node']), (r) => r.code === 0 && rows(r.stdout).some((c) => c[0] === node));
    const [, cpu, cpuPct, mem, memPct] = rows(out.stdout).find((c) => c[0] === node)!;
    expect(cpu).toMatch(/^\d+m$/);
    // Never more than every core of the machine, busy.
    expect(Number(cpu!.slice(0, -1))).toBeLessThanOrEqual(cpus().length * 1000 + 50);
    expect(cpuPct).toMatch(/^\d+%$/);
    expect(mem).toMatch(/^\d+Mi$/);
    expect(Number(mem!.slice(0, -2))).toBeGreaterThan(0);
    expect(memPct).toMatch(/^\d+%$/);
    const raw = JSON.parse(s.kubectl(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/nodes/${node}`]).stdout);
    expect(raw).toMatchObject({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: node } });
    expect(raw.window).toMatch(/^\d+(\.\d+)?s$/);
    expect(raw.metadata.labels['kubernetes.io/hostname']).toBe(node);
  });

  it('kubectl top pod shows a busy container\'s CPU, per container with --containers', async () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: burner('hot', '100m') }).code).toBe(0);
    const out = await until('top pod', () => s.kubectl(['top', 'pod', '-l', 'app=hot']), (r) => r.code === 0 && rows(r.stdout).length === 1 && Number(rows(r.stdout)[0]![1]!.slice(0, -1)) > 200);
    const [name, cpu, mem] = rows(out.stdout)[0]!;
    expect(name).toMatch(/^hot-/);
    // A shell spinning in a loop uses about one core (less when other work shares the machine).
    expect(Number(cpu!.slice(0, -1))).toBeLessThanOrEqual(1100);
    expect(mem).toMatch(/^\d+Mi$/);
    const per = rows(s.kubectl(['top', 'pod', name!, '--containers']).stdout);
    expect(per.map((c) => c[1]).sort()).toEqual(['burn', 'idle']);
    const burn = per.find((c) => c[1] === 'burn')!;
    const idle = per.find((c) => c[1] === 'idle')!;
    expect(Number(burn[2]!.slice(0, -1))).toBeGreaterThan(Number(idle[2]!.slice(0, -1)));
    // A selector that matches nothing, and a pod without metrics, answer as metrics-server does.
    expect(s.kubectl(['top', 'pod', '-l', 'app=none']).stderr).toContain('No resources found in default namespace.');
    const missing = s.kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope']);
    expect(missing.stderr).toContain('NotFound');
    expect(s.kubectl(['get', 'podmetrics', '-l', 'app=hot', '--no-headers']).stdout).toMatch(/^hot-\S+\s+\d+n?m?\s+\d+\S*\s+\d/);
    expect(s.kubectl(['delete', 'deployment', 'hot', '--wait=false']).code).toBe(0);
  });
});

describe.skipIf(!apiServed)(`horizontal pod autoscaler on real load${untilServed}`, () => {
  it('scales a Deployment whose pod burns CPU, with kubectl autoscale', async () => {
    const yaml = burner('burn', '200m').replace(/      - name: idle[\s\S]*$/, '');
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).code).toBe(0);
    // kubectl 1.32 creates the HPA through autoscaling/v1.
    const auto = s.kubectl(['autoscale', 'deployment', 'burn', '--cpu-percent=50', '--min=1', '--max=2', '-v=6']);
    expect(auto.stderr).toMatch(/POST https:\/\/[^ ]+\/apis\/autoscaling\/v1\/namespaces\/default\/horizontalpodautoscalers\S* 201 Created/);
    expect(auto.stdout).toContain('horizontalpodautoscaler.autoscaling/burn autoscaled');
    // One spinning shell is about 500% of its 200m request: the HPA wants more than the maximum.
    await until('scaled to 2', () => s.kubectl(['get', 'deployment', 'burn', '-o', 'jsonpath={.spec.replicas}']).stdout, (r) => r === '2', 180_000);
    const row = await until('hpa row', () => rows(s.kubectl(['get', 'hpa', 'burn']).stdout)[0] ?? [], (r) => /^cpu: \d+%\/50%$/.test(`${r[2]} ${r[3]}`));
    expect(row.slice(0, 2)).toEqual(['burn', 'Deployment/burn']);
    const hpa = JSON.parse(s.kubectl(['get', 'hpa.v2.autoscaling', 'burn', '-o', 'json']).stdout);
    expect(hpa.status.currentMetrics[0].resource.current.averageUtilization).toBeGreaterThan(50);
    expect(hpa.status.conditions.find((c: { type: string }) => c.type === 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
    // The v1 view carries the conditions and current metrics in upstream's annotations, and a v1
    // write (kubectl annotate through autoscaling/v1) leaves the v2 object's status whole.
    const v1 = JSON.parse(s.kubectl(['get', 'horizontalpodautoscalers.v1.autoscaling', 'burn', '-o', 'json']).stdout);
    expect(v1.spec.targetCPUUtilizationPercentage).toBe(50);
    expect(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/conditions']).map((c: { type: string }) => c.type)).toContain('ScalingActive');
    expect(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/current-metrics'])[0].resource.name).toBe('cpu');
    expect(s.kubectl(['annotate', 'horizontalpodautoscalers.v1.autoscaling', 'burn', 'note=v1']).code).toBe(0);
    const annotated = JSON.parse(s.kubectl(['get', 'hpa.v2.autoscaling', 'burn', '-o', 'json']).stdout);
    expect(annotated.metadata.annotations).toEqual({ note: 'v1' });
    expect(annotated.spec.metrics).toEqual(hpa.spec.metrics);
    expect(annotated.status.conditions.map((c: { type: string }) => c.type)).toEqual(hpa.status.conditions.map((c: { type: string }) => c.type));
    const described = s.kubectl(['describe', 'hpa', 'burn']).stdout;
    expect(described).toContain('SuccessfulRescale');
    expect(described).toContain('New size: 2; reason: cpu resource utilization (percentage of request) above target');
    expect(s.kubectl(['delete', 'deployment', 'burn', '--wait=false']).code).toBe(0);
  });
});
