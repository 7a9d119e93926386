import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, withToken } from './auth-helpers.ts';
import { startServer, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

// A pod on the real Docker engine reads the credentials the ServiceAccount admission mounted.
const node = `e2e-sa-${randomBytes(3).toString('hex')}`;
const cidr = `10.${100 + (randomBytes(1)[0]! % 100)}.0.0/16`;
let s: TestServer;

beforeAll(async () => {
  s = await startServer(['--node-name', node, '--cluster-cidr', cidr], { agent: true });
});
afterAll(async () => {
  await s?.stop();
  await removeNodeLeftovers(node);
});

async function until<T>(what: string, get: () => T, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = get();
  while (!ok(v)) {
    if (Date.now() > deadline) throw new Error(`${what}: timed out; last: ${JSON.stringify(v)}\n${s.logs().split('\n').slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
    v = get();
  }
  return v;
}

const podYaml = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: apps}
spec:
  serviceAccountName: robot
  terminationGracePeriodSeconds: 1
${extra}  containers:
  - {name: c, image: skiff-test/busybox:latest, imagePullPolicy: IfNotPresent, command: [sleep, "3600"]}
`;
const phase = (name: string) => s.kubectl(['get', 'pod', name, '-n', 'apps', '-o', 'jsonpath={.status.phase}']).stdout;

describe('service-account credentials in pods', () => {
  it('publishes kube-root-ca.crt in every namespace', async () => {
    expect(apply(s, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot, namespace: apps}\n').code).toBe(0);
    const ca = await until('root CA', () => s.kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', 'apps', '-o', 'jsonpath={.data.ca\\.crt}']).stdout, (v) => v !== '');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(s.kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', 'kube-system', '-o', 'jsonpath={.data.ca\\.crt}']).stdout).toBe(ca);
  });

  it('mounts a bound token the API accepts, the CA and the namespace at the upstream path', async () => {
    expect(apply(s, podYaml('reader')).code).toBe(0);
    await until('pod Running', () => phase('reader'), (p) => p === 'Running');
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    const exec = (file: string) => s.kubectl(['exec', '-n', 'apps', 'reader', '--', 'cat', `${dir}/${file}`]);
    expect(exec('namespace').stdout).toBe('apps');
    expect(exec('ca.crt').stdout).toBe(s.kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', 'apps', '-o', 'jsonpath={.data.ca\\.crt}']).stdout);
    const token = exec('token').stdout;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    const pod = JSON.parse(s.kubectl(['get', 'pod', 'reader', '-n', 'apps', '-o', 'json']).stdout);
    expect(claims['kubernetes.io'].pod).toEqual({ name: 'reader', uid: pod.metadata.uid });
    expect(claims.exp - claims.iat).toBe(3607);
    const who = withToken(s, token, ['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(who.stdout).status.userInfo).toMatchObject({
      username: 'system:serviceaccount:apps:robot',
      extra: { 'authentication.kubernetes.io/pod-name': ['reader'], 'authentication.kubernetes.io/pod-uid': [pod.metadata.uid] },
    });
    // The token dies with its pod.
    expect(s.kubectl(['delete', 'pod', 'reader', '-n', 'apps', '--wait=true']).code).toBe(0);
    await until('token refused', () => withToken(s, token, ['auth', 'whoami']).stderr, (e) => e.includes('Unauthorized'), 90_000);
  });

  it('mounts nothing when the pod opts out', async () => {
    expect(apply(s, podYaml('quiet', '  automountServiceAccountToken: false\n')).code).toBe(0);
    await until('pod Running', () => phase('quiet'), (p) => p === 'Running');
    const ls = s.kubectl(['exec', '-n', 'apps', 'quiet', '--', 'ls', '/var/run/secrets/kubernetes.io/serviceaccount']);
    expect(ls.code).not.toBe(0);
  });
});
