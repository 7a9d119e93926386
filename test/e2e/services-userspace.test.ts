import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeNetwork } from '../../pkg/agent/agent.ts';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import { apiServed, freePort, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

// The userspace proxy (--proxy-mode userspace, what a machine without iptables gets) on the real
// Docker engine: TCP relays in the agent on the cluster IP (added to the loopback device, reached
// by pods through their gateway) and on the node port. No iptables chain is made for the node.
const node = `e2e-usp-${randomBytes(3).toString('hex')}`;
const b = randomBytes(3);
const cidr = `10.${100 + (b[0]! % 100)}.0.0/16`;
const serviceCidr = `10.${250 + (b[1]! % 6)}.${b[2]!}.0/24`;
const tag = nodeNetwork(node).bridge.replace(/^skiff/, '');
const rt = new DockerRuntime();
const image = 'skiff-test/busybox:latest';
let s: TestServer;
// The service's port is the ingress proxy's HTTP port: the proxy holds it on 0.0.0.0, the relay on
// the cluster IP, and both must work.
let ingressPort: number;

const workload = (port: number) => `apiVersion: apps/v1
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
      - name: httpd
        image: ${image}
        imagePullPolicy: IfNotPresent
        env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        command: [sh, -c, 'mkdir -p /www && echo $POD_NAME > /www/index.html && exec httpd -f -p 8080 -h /www']
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: NodePort, selector: {app: web}, ports: [{port: ${port}, targetPort: 8080}]}
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
  ingressPort = await freePort();
  s = await startServer(['--node-name', node, '--cluster-cidr', cidr, '--service-cidr', serviceCidr, '--proxy-mode', 'userspace', '--ingress-http-port', String(ingressPort)], { agent: true });
});
afterAll(async () => {
  await s?.stop();
  await removeNodeLeftovers(node);
});

async function until<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last: ${JSON.stringify(v)}\n${s.logs().split('\n').slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
const json = (args: string[]) => JSON.parse(s.kubectl([...args, '-o', 'json']).stdout || '{}');
const ask = async (container: string, url: string, n = 20) =>
  (await rt.exec(container, ['sh', '-c', `for i in $(seq ${n}); do timeout 5 wget -qO- ${url} || echo FAIL; done`], { timeoutMs: 120_000 })).stdout.split('\n').filter(Boolean);
const loAddresses = () => spawnSync('ip', ['-4', 'addr', 'show', 'dev', 'lo'], { encoding: 'utf8' }).stdout;

describe.skipIf(!apiServed)(`userspace service proxy${untilServed}`, () => {
  it('relays a cluster IP from pods and a node port from the host to every ready pod, without iptables chains', async () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: workload(ingressPort) }).stderr).toBe('');
    const client = (await until('client running', () => json(['get', 'pod', 'client']), (p) => !!p.status?.containerStatuses?.[0]?.state?.running))
      .status.containerStatuses[0].containerID.replace('docker://', '') as string;
    type Pod = { metadata: { name: string }; status: { containerStatuses?: { ready?: boolean }[] } };
    const pods = await until('2 ready pods', () => (json(['get', 'pods', '-l', 'app=web']).items ?? []) as Pod[], (ps) => ps.length === 2 && ps.every((p) => p.status.containerStatuses?.[0]?.ready));
    const names = pods.map((p) => p.metadata.name).sort();
    const answers = await until('both pods answer', () => ask(client, `http://web.default.svc.cluster.local:${ingressPort}/`), (a) => new Set(a).size === 2 && !a.includes('FAIL'));
    expect([...new Set(answers)].sort()).toEqual(names);

    const clusterIP = s.kubectl(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']).stdout;
    expect(loAddresses()).toContain(`inet ${clusterIP}/32`);
    expect(s.logs()).not.toContain('service port not proxied');
    expect((await fetch(`http://127.0.0.1:${ingressPort}/`, { headers: { host: 'nothing.test' } })).status).toBe(404);
    const nodePort = s.kubectl(['get', 'service', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']).stdout;
    const fromHost = new Set<string>();
    for (let i = 0; i < 20; i++) fromHost.add((await (await fetch(`http://127.0.0.1:${nodePort}/`)).text()).trim());
    expect([...fromHost].sort()).toEqual(names);
    expect(spawnSync('iptables-save', { encoding: 'utf8' }).stdout).not.toContain(`SKIFF-${tag}-`);

    // Deleting the service closes its relays; stopping the agent gives the loopback address back.
    expect(s.kubectl(['delete', 'service', 'web']).code).toBe(0);
    await until('node port closed', () => fetch(`http://127.0.0.1:${nodePort}/`).then(() => 'open', () => 'closed'), (x) => x === 'closed');
    await s.stop({ keep: true });
    expect(loAddresses()).not.toContain(`inet ${clusterIP}/32`);
  }, 240_000);
});
