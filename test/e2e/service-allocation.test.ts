import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

// A random /16 per run, so the addresses asserted on are this server's.
const second = 100 + Math.floor(Math.random() * 100);
const cidr = `10.${second}.0.0/16`;
let s: TestServer;
beforeAll(async () => {
  s = await startServer(['--service-cidr', cidr, '--service-node-port-range', '31000-31099']);
});
afterAll(() => s?.stop());

const svc = (name: string, spec: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {ports: [{port: 80}], ${spec}}\n`;

describe('service allocation through kubectl', () => {
  it('publishes the kubernetes service at .1 with the API server as its endpoint', () => {
    expect(s.kubectl(['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP} {.spec.ports[0].port} {.spec.ports[0].targetPort}']).stdout).toBe(`10.${second}.0.1 443 ${s.port}`);
    expect(s.kubectl(['get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}']).stdout).toBe(`127.0.0.1:${s.port}`);
    expect(s.kubectl(['get', 'endpointslice', 'kubernetes', '-o', 'jsonpath={.endpoints[0].addresses[0]}:{.ports[0].port}']).stdout).toBe(`127.0.0.1:${s.port}`);
  });

  it('allocates, honours and refuses cluster IPs and node ports as upstream words it', () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: svc('a', `type: NodePort, clusterIP: 10.${second}.3.3`) }).stderr).toBe('');
    const a = s.kubectl(['get', 'svc', 'a', '-o', 'jsonpath={.spec.clusterIP} {.spec.ports[0].nodePort}']).stdout.split(' ');
    expect(a[0]).toBe(`10.${second}.3.3`);
    expect(Number(a[1])).toBeGreaterThanOrEqual(31000);
    expect(Number(a[1])).toBeLessThanOrEqual(31099);
    const taken = s.kubectl(['apply', '-f', '-'], { input: svc('b', `clusterIP: 10.${second}.3.3`) });
    expect(taken.stderr).toContain(`The Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.${second}.3.3"}: failed to allocate IP 10.${second}.3.3: provided IP is already allocated`);
    const far = s.kubectl(['apply', '-f', '-'], { input: svc('c', 'clusterIP: 192.168.1.1') });
    expect(far.stderr).toContain(`the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is ${cidr}`);
    const port = s.kubectl(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Service\nmetadata: {name: d}\nspec: {type: NodePort, ports: [{port: 80, nodePort: ${a[1]}}]}\n` });
    expect(port.stderr).toContain(`spec.ports[0].nodePort: Invalid value: ${a[1]}: provided port is already allocated`);
    const range = s.kubectl(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Service\nmetadata: {name: e}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30000}]}\n` });
    expect(range.stderr).toContain('spec.ports[0].nodePort: Invalid value: 30000: provided port is not in the valid range. The range of valid ports is 31000-31099');
    // Deleting frees both.
    expect(s.kubectl(['delete', 'svc', 'a']).code).toBe(0);
    expect(s.kubectl(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: Service\nmetadata: {name: f}\nspec: {type: NodePort, clusterIP: 10.${second}.3.3, ports: [{port: 80, nodePort: ${a[1]}}]}\n` }).stderr).toBe('');
  });

  it('keeps every allocation across a restart', async () => {
    const before = s.kubectl(['get', 'svc', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.clusterIP}/{.spec.ports[0].nodePort} {end}']).stdout;
    await s.stop({ keep: true });
    s = await startServer(['--service-cidr', cidr, '--service-node-port-range', '31000-31099'], { dir: s.dir });
    expect(s.kubectl(['get', 'svc', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.clusterIP}/{.spec.ports[0].nodePort} {end}']).stdout).toBe(before);
    const again = s.kubectl(['apply', '-f', '-'], { input: svc('g', `clusterIP: 10.${second}.3.3`) });
    expect(again.stderr).toContain('provided IP is already allocated');
  });
});
