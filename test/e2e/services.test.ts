import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeNetwork } from '../../pkg/agent/agent.ts';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import { builtBinary } from '../build/binary.ts';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

// (busybox wget here crashes with -T, so requests are bounded with timeout(1) instead.)
// Service traffic through the node proxy (iptables mode) on the real Docker engine: a deployment
// of three busybox httpd pods answering with their pod name (downward API) behind services,
// reached from a pod by DNS name, from the host through cluster IP, node port and load balancer,
// and the node's chains checked with iptables-save. The service CIDR is random and the node's
// chains carry its own tag, so clusters of other tests on this machine are never touched (service
// addresses come from a /24 of 10.250–10.255, outside the pod ranges tests pick).
const node = `e2e-svc-${randomBytes(3).toString('hex')}`;
const b = randomBytes(3);
const cidr = `10.${100 + (b[0]! % 100)}.0.0/16`;
const serviceCidr = `10.${250 + (b[1]! % 6)}.${b[2]!}.0/24`;
const tag = nodeNetwork(node).bridge.replace(/^skiff/, '');
const rt = new DockerRuntime();
const image = 'skiff-test/busybox:latest';
let s: TestServer;

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${image}
        imagePullPolicy: IfNotPresent
        env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        command: [sh, -c, 'mkdir -p /www && echo $POD_NAME > /www/index.html && touch /tmp/ready && exec httpd -f -p 8080 -h /www']
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {exec: {command: [test, -f, /tmp/ready]}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: ${image}, imagePullPolicy: IfNotPresent, command: [sleep, '3600']}]
`;

beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(['--node-name', node, '--cluster-cidr', cidr, '--service-cidr', serviceCidr, '--proxy-mode', 'iptables'], { agent: true });
});
afterAll(async () => {
  await s?.stop();
  await removeNodeLeftovers(node, { killall: true });
});

async function until<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last: ${JSON.stringify(v instanceof Set ? [...v] : v)}\n${s.logs().split('\n').slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
const json = (args: string[]) => JSON.parse(s.kubectl([...args, '-o', 'json']).stdout || '{}');
const webPods = () => (json(['get', 'pods', '-l', 'app=web']).items ?? []) as { metadata: { name: string }; status: { containerStatuses?: { containerID?: string; ready?: boolean }[] } }[];
const containerOf = async (pod: string) => (await until(`${pod} running`, () => json(['get', 'pod', pod]), (p) => !!p.status?.containerStatuses?.[0]?.state?.running)).status.containerStatuses[0].containerID.replace('docker://', '') as string;
/** Answers of `n` requests from inside a container, one per line (FAIL for a failed one). */
async function ask(container: string, url: string, n = 30): Promise<string[]> {
  const r = await rt.exec(container, ['sh', '-c', `for i in $(seq ${n}); do timeout 5 wget -qO- ${url} || echo FAIL; done`], { timeoutMs: 120_000 });
  return r.stdout.split('\n').filter(Boolean);
}
async function fromHost(url: string, n = 30): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    try {
      out.push((await (await fetch(url, { signal: AbortSignal.timeout(3_000) })).text()).trim());
    } catch {
      out.push('FAIL');
    }
  }
  return out;
}
const natRules = () => spawnSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(`SKIFF-${tag}-`));
const myChains = () => ['nat', 'filter'].flatMap((t) => spawnSync('iptables-save', ['-t', t], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.startsWith(`:SKIFF-${tag}-`)));

describe.skipIf(!apiServed)(`service proxy on a node${untilServed}`, () => {
  let names: string[];
  let client: string;
  let nodeIP: string;

  it('balances requests to web.default.svc.cluster.local over all three ready pods', async () => {
    const r = s.kubectl(['apply', '-f', '-'], { input: workload });
    expect(r.stderr).toBe('');
    client = await containerOf('client');
    await until('3 web pods ready', webPods, (ps) => ps.length === 3 && ps.every((p) => p.status.containerStatuses?.[0]?.ready));
    names = webPods().map((p) => p.metadata.name).sort();
    const seen = await until('all pods answer', () => ask(client, 'http://web.default.svc.cluster.local/'), (a) => new Set(a).size === 3 && !a.includes('FAIL'));
    expect(seen).toHaveLength(30);
    expect([...new Set(seen)].sort()).toEqual(names);
    nodeIP = json(['get', 'node', node]).status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
  }, 240_000);

  it('serves the cluster IP from the host, the node port on the node address, and a pod reaching its own service', async () => {
    const clusterIP = s.kubectl(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']).stdout;
    expect(clusterIP.startsWith(`${serviceCidr.split('.').slice(0, 3).join('.')}.`)).toBe(true);
    expect(new Set(await fromHost(`http://${clusterIP}/`))).toEqual(new Set(names));
    const nodePort = s.kubectl(['get', 'service', 'web-np', '-o', 'jsonpath={.spec.ports[0].nodePort}']).stdout;
    expect(new Set(await fromHost(`http://${nodeIP}:${nodePort}/`))).toEqual(new Set(names));
    // Hairpin: each backend is picked for its own request too, and masqueraded so the reply returns.
    const self = names[0]!;
    const answers = await ask(await containerOf(self), 'http://web/');
    expect(answers).not.toContain('FAIL');
    expect(answers).toContain(self);
  }, 240_000);

  it('takes a pod failing readiness out of the rotation and brings it back when it passes', async () => {
    const victim = names[1]!;
    const id = await containerOf(victim);
    await rt.exec(id, ['rm', '/tmp/ready'], { timeoutMs: 10_000 });
    const without = await until(`${victim} out of rotation`, () => ask(client, 'http://web/', 20), (a) => !a.includes(victim) && !a.includes('FAIL'));
    expect(new Set(without)).toEqual(new Set(names.filter((n) => n !== victim)));
    await rt.exec(id, ['touch', '/tmp/ready'], { timeoutMs: 10_000 });
    await until(`${victim} back`, () => ask(client, 'http://web/'), (a) => new Set(a).size === 3);
  }, 240_000);

  it('keeps a client on one pod under sessionAffinity ClientIP', async () => {
    const yaml = 'apiVersion: v1\nkind: Service\nmetadata: {name: sticky}\nspec: {selector: {app: web}, sessionAffinity: ClientIP, ports: [{port: 80, targetPort: 8080}]}\n';
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    const answers = await until('sticky answers', () => ask(client, 'http://sticky/', 15), (a) => !a.includes('FAIL'));
    expect(new Set(answers).size).toBe(1);
    expect(names).toContain(answers[0]);
  }, 240_000);

  it('REJECTs a service without endpoints at once rather than letting the connection hang', async () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Service\nmetadata: {name: nobody}\nspec: {selector: {app: nobody}, ports: [{port: 80}]}\n' }).stderr).toBe('');
    await until('reject rule', () => spawnSync('iptables-save', ['-t', 'filter'], { encoding: 'utf8' }).stdout, (t) => t.includes('default/nobody:80 has no endpoints'));
    const ip = s.kubectl(['get', 'service', 'nobody', '-o', 'jsonpath={.spec.clusterIP}']).stdout;
    const r = await rt.exec(client, ['sh', '-c', `timeout 10 wget -qO- http://${ip}/ 2>&1; echo "exit $?"`], { timeoutMs: 30_000 });
    expect(r.stdout).toMatch(/Connection refused/);
  }, 240_000);

  it('publishes a LoadBalancer service on the node address and lists the node IP in its status', async () => {
    const port = 20000 + (randomBytes(2).readUInt16BE() % 9000);
    const yaml = `apiVersion: v1\nkind: Service\nmetadata: {name: web-lb}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: ${port}, targetPort: 8080}]}\n`;
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    const ingress = await until('load balancer ingress', () => json(['get', 'service', 'web-lb']).status?.loadBalancer?.ingress, (i) => Array.isArray(i) && i.length > 0);
    expect(ingress.map((i: { ip: string }) => i.ip)).toEqual([nodeIP]);
    expect(s.kubectl(['get', 'service', 'web-lb']).stdout).toContain(nodeIP);
    const answers = await until('load balancer answers', () => fromHost(`http://${nodeIP}:${port}/`, 10), (a) => !a.includes('FAIL'));
    expect(names).toEqual(expect.arrayContaining([...new Set(answers)]));
  }, 240_000);

  it("removes a deleted service's rules, and skiff killall removes all of the node's chains", async () => {
    expect(natRules().some((l) => l.includes('default/web-np:80'))).toBe(true);
    expect(s.kubectl(['delete', 'service', 'web-np', 'web-lb']).code).toBe(0);
    await until('rules of deleted services gone', natRules, (rules) => !rules.some((l) => /default\/web-(np|lb):/.test(l)));
    expect(natRules().some((l) => l.includes('default/web:http'))).toBe(true);

    await s.stop({ keep: true });
    expect(myChains().length).toBeGreaterThan(0);
    const r = spawnSync(await builtBinary(), ['killall', '--node-name', node, '--data-dir', `${s.dir}/data`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/, [1-9]\d* iptables chains\n$/);
    expect(myChains()).toEqual([]);
    const all = ['nat', 'filter'].map((t) => spawnSync('iptables-save', ['-t', t], { encoding: 'utf8' }).stdout).join('');
    expect(all).not.toContain(`skiff ${tag}`);
  }, 240_000);
});
