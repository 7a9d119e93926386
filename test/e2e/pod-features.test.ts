import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, freePort, untilServed } from './harness.ts';
import { containerYaml, podYaml, runningPod, startCluster, until, type StreamingCluster } from './streaming-helpers.ts';

// What the node agent does with a pod's spec, seen through kubectl on the real Docker engine:
// memory limits (OOMKilled), host ports, secret volumes updated in place, init containers with an
// emptyDir, hostPath, and restartPolicy OnFailure.
let c: StreamingCluster;
const hostDir = mkdtempSync(join(tmpdir(), 'skiff-e2e-hostpath-'));

beforeAll(async () => {
  if (!apiServed) return;
  c = await startCluster('pod');
  await until(c.s, 'node Ready', () => c.s.kubectl(['get', 'node', c.local, '--no-headers']).stdout, (out) => /\sReady\s/.test(out));
});
afterAll(async () => {
  await c?.stop();
  rmSync(hostDir, { recursive: true, force: true });
});

const json = (args: string[]) => JSON.parse(c.s.kubectl([...args, '-o', 'json']).stdout || '{}');
const apply = (yaml: string) => {
  const r = c.s.kubectl(['apply', '-f', '-'], { input: yaml });
  if (r.code !== 0) throw new Error(r.stderr);
};

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.end();
  });
}

describe.skipIf(!apiServed)(`pod features on the real Docker engine${untilServed}`, () => {
  it('reports OOMKilled when a container passes its memory limit', async () => {
    // tail keeps a line in memory until it ends; /dev/zero has no line ends.
    apply(podYaml('hog', c.local, containerYaml('c', 'head -c 200m /dev/zero | tail', '    resources: {limits: {memory: 20Mi}}\n'), '  restartPolicy: Never\n'));
    const st = await until(c.s, 'hog terminated', () => json(['get', 'pod', 'hog']).status?.containerStatuses?.[0]?.state?.terminated, (t) => !!t);
    expect(st).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(json(['get', 'pod', 'hog']).status.phase).toBe('Failed');
    expect(c.s.kubectl(['get', 'pod', 'hog', '--no-headers']).stdout).toMatch(/^hog\s+0\/1\s+OOMKilled\s+0\s/);
  });

  it('publishes a hostPort on the node', async () => {
    const port = await freePort();
    await runningPod(c.s, 'porter', podYaml('porter', c.local, containerYaml('web', 'mkdir -p /www && echo served-by-porter > /www/index.html && exec httpd -f -p 8080 -h /www',
      `    ports: [{containerPort: 8080, hostPort: ${port}}]\n`)));
    let body = '';
    for (let i = 0; i < 40 && body !== 'served-by-porter\n'; i++) {
      body = await httpGet(port).catch((e: Error) => e.message);
      if (body !== 'served-by-porter\n') await new Promise((r) => setTimeout(r, 250));
    }
    expect(body).toBe('served-by-porter\n');
    // A second pod wanting the same host port cannot go to this node.
    apply(`apiVersion: v1\nkind: Pod\nmetadata: {name: porter2, namespace: default}\nspec:\n  nodeSelector: {kubernetes.io/hostname: ${c.local}}\n  containers:\n${containerYaml('web', 'sleep 1000', `    ports: [{containerPort: 8080, hostPort: ${port}}]\n`)}`);
    const cond = await until(c.s, 'porter2 unschedulable', () => json(['get', 'pod', 'porter2']).status?.conditions?.find((x: { type: string }) => x.type === 'PodScheduled'), (x) => x?.reason === 'Unschedulable');
    expect(cond.message).toContain("1 node(s) didn't have free ports for the requested pod ports");
  });

  it('gives a secret as env and as a volume, updating the volume inside the running container when the secret changes', async () => {
    expect(c.s.kubectl(['create', 'secret', 'generic', 'creds', '--from-literal=password=one']).code).toBe(0);
    await runningPod(c.s, 'reader', podYaml('reader', c.local, containerYaml('c', 'sleep 1000', '    volumeMounts: [{name: s, mountPath: /etc/creds, readOnly: true}]\n    env: [{name: PW, valueFrom: {secretKeyRef: {name: creds, key: password}}}]\n'),
      '  volumes: [{name: s, secret: {secretName: creds, defaultMode: 0400}}]\n'));
    expect(c.s.kubectl(['exec', 'reader', '--', 'cat', '/etc/creds/password']).stdout).toBe('one');
    expect(c.s.kubectl(['exec', 'reader', '--', 'sh', '-c', 'echo $PW']).stdout).toBe('one\n');
    expect(c.s.kubectl(['exec', 'reader', '--', 'stat', '-L', '-c', '%a', '/etc/creds/password']).stdout.trim()).toBe('400');
    const patched = c.s.kubectl(['create', 'secret', 'generic', 'creds', '--from-literal=password=two', '--dry-run=client', '-o', 'yaml']);
    apply(patched.stdout);
    const seen = await until(c.s, 'the new value inside', () => c.s.kubectl(['exec', 'reader', '--', 'cat', '/etc/creds/password']).stdout, (v) => v === 'two', 90_000);
    expect(seen).toBe('two');
  });

  it('runs init containers in order before the app, sharing an emptyDir, and writes a hostPath', async () => {
    const init = `  initContainers:\n${containerYaml('first', 'echo first >> /work/order', '    volumeMounts: [{name: w, mountPath: /work}]\n')}${containerYaml('second', 'echo second >> /work/order', '    volumeMounts: [{name: w, mountPath: /work}]\n')}`;
    const app = containerYaml('app', 'cat /work/order > /host/order; echo app >> /host/order; sleep 1000', '    volumeMounts: [{name: w, mountPath: /work}, {name: h, mountPath: /host}]\n');
    apply(podYaml('ordered', c.local, app, `  volumes: [{name: w, emptyDir: {}}, {name: h, hostPath: {path: ${hostDir}, type: Directory}}]\n${init}`));
    await until(c.s, 'ordered running', () => json(['get', 'pod', 'ordered']).status?.phase, (p) => p === 'Running');
    const text = await until(c.s, 'the host file', () => {
      try {
        return readFileSync(join(hostDir, 'order'), 'utf8');
      } catch {
        return '';
      }
    }, (t) => t.endsWith('app\n'));
    expect(text).toBe('first\nsecond\napp\n');
    const p = json(['get', 'pod', 'ordered']);
    expect(p.status.initContainerStatuses.map((s: { state: { terminated: { reason: string } } }) => s.state.terminated.reason)).toEqual(['Completed', 'Completed']);
    expect(p.status.conditions.find((x: { type: string }) => x.type === 'Initialized').status).toBe('True');
  });

  it('restarts an OnFailure container until it succeeds, then completes', async () => {
    apply(podYaml('retry', c.local, containerYaml('c', 'if [ -f /data/ok ]; then echo done; exit 0; fi; touch /data/ok; exit 2', '    volumeMounts: [{name: d, mountPath: /data}]\n'),
      '  restartPolicy: OnFailure\n  volumes: [{name: d, emptyDir: {}}]\n'));
    const p = await until(c.s, 'retry succeeded', () => json(['get', 'pod', 'retry']), (x) => x.status?.phase === 'Succeeded', 90_000);
    expect(p.status.containerStatuses[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 2, reason: 'Error' } }, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(c.s.kubectl(['logs', 'retry']).stdout).toBe('done\n');
  });
});
