import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../pkg/agent/runtime/index.ts';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { joinAgents, removeNodeLeftovers, type JoinedAgents } from './nodes.ts';

// A service whose pods run on two nodes (a server without its own agent, two `skiff agent`
// processes on this machine, each with its own pod bridge and chains): a pod on one node reaches
// the pod on the other through the cluster IP, and the node port reaches both.
const run = randomBytes(3).toString('hex');
const nodes = [`svcn-a-${run}`, `svcn-b-${run}`];
const b = randomBytes(3);
const cidr = `10.${100 + (b[0]! % 100)}.0.0/16`;
const serviceCidr = `10.${250 + (b[1]! % 6)}.${b[2]!}.0/24`;
const image = 'skiff-test/busybox:latest';
const rt = new DockerRuntime();
let s: TestServer;
let joined: JoinedAgents | undefined;

beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(['--cluster-cidr', cidr, '--service-cidr', serviceCidr]);
  joined = await joinAgents(s, nodes, ['--proxy-mode', 'iptables']);
});
afterAll(async () => {
  await joined?.stop();
  await s?.stop();
  for (const n of nodes) await removeNodeLeftovers(n, { killall: true });
});

async function until<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
const pod = (name: string, node: string, labels: string, command: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {${labels}}}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: ${image}, imagePullPolicy: IfNotPresent, command: [sh, -c, ${JSON.stringify(command)}], readinessProbe: {exec: {command: ['true']}, periodSeconds: 1}}]
`;
const httpd = (name: string) => `mkdir -p /www && echo ${name} > /www/index.html && exec httpd -f -p 8080 -h /www`;

describe.skipIf(!apiServed)(`services across nodes${untilServed}`, () => {
  it('reaches pods on both nodes through the cluster IP from a pod, and through the node port from the host', async () => {
    await until('both nodes Ready', () => s.kubectl(['get', 'nodes', '--no-headers']).stdout, (out) => nodes.every((n) => new RegExp(`^${n}\\s+Ready\\s`, 'm').test(out)));
    const yaml = [
      pod('web-a', nodes[0]!, 'app: web', httpd('web-a')),
      pod('web-b', nodes[1]!, 'app: web', httpd('web-b')),
      pod('client', nodes[0]!, 'role: client', 'sleep 3600'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n',
    ].join('---\n');
    expect(s.kubectl(['apply', '-f', '-'], { input: yaml }).stderr).toBe('');
    await until('pods ready', () => s.kubectl(['get', 'pods', '-o', 'jsonpath={.items[*].status.containerStatuses[0].ready}']).stdout, (o) => o === 'true true true');
    const client = JSON.parse(s.kubectl(['get', 'pod', 'client', '-o', 'json']).stdout).status.containerStatuses[0].containerID.replace('docker://', '') as string;
    const ask = async () => (await rt.exec(client, ['sh', '-c', 'for i in $(seq 20); do timeout 5 wget -qO- http://web/ || echo FAIL; done'], { timeoutMs: 120_000 })).stdout.split('\n').filter(Boolean);
    const answers = await until('both pods answer', ask, (a) => new Set(a).size === 2 && !a.includes('FAIL'));
    expect([...new Set(answers)].sort()).toEqual(['web-a', 'web-b']);

    const nodePort = s.kubectl(['get', 'service', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']).stdout;
    const ip = s.kubectl(['get', 'node', nodes[1]!, '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}']).stdout;
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add((await (await fetch(`http://${ip}:${nodePort}/`, { signal: AbortSignal.timeout(5_000) })).text()).trim());
    expect([...seen].sort()).toEqual(['web-a', 'web-b']);
  }, 240_000);
});
