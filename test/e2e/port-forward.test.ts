import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, freePort, kubectlBin, untilServed } from './harness.ts';
import { containerYaml, podYaml, runningPod, startCluster, until, type StreamingCluster } from './streaming-helpers.ts';

// kubectl port-forward through the agents' tunnels: SPDY/3.1 inside a WebSocket (kubectl's
// default) and on the upgraded connection (its fallback), to a pod on the server's own node and
// to one on a second agent that only the tunnel reaches.
let c: StreamingCluster;
// 1 MiB of pseudo-random bytes: enough to cross many frames, windows and tunnel credits.
const bigScript = 'mkdir -p /www && head -c 1048576 /dev/urandom > /www/big && md5sum /www/big | cut -d" " -f1 > /www/big.md5 && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www';

beforeAll(async () => {
  if (!apiServed) return;
  c = await startCluster('pf');
  await until(c.s, 'both nodes Ready', () => c.s.kubectl(['get', 'nodes', '--no-headers']).stdout,
    (out) => [c.local, c.remote].every((n) => new RegExp(`^${n}\\s+Ready\\s`, 'm').test(out)));
  await Promise.all([
    runningPod(c.s, 'near', podYaml('near', c.local, containerYaml('web', bigScript))),
    runningPod(c.s, 'far', podYaml('far', c.remote, containerYaml('web', bigScript))),
  ]);
  const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: far-svc, namespace: default}\nspec:\n  selector: {app: far}\n  ports: [{port: 80, targetPort: 8080}]\n';
  expect(c.s.kubectl(['label', 'pod', 'far', 'app=far']).code).toBe(0);
  expect(c.s.kubectl(['apply', '-f', '-'], { input: svc }).code).toBe(0);
});
afterAll(async () => {
  await c?.stop();
});

/** Starts `kubectl port-forward`, resolves once it listens. */
async function portForward(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(kubectlBin, ['--cache-dir', join(c.s.dir, 'kube-cache'), 'port-forward', ...args], {
    env: { ...process.env, KUBECONFIG: c.s.kubeconfig, HOME: c.s.dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await until(c.s, 'port-forward listening', () => out, (o) => /Forwarding from 127\.0\.0\.1:\d+/.test(o) || child.exitCode !== null, 30_000);
  if (child.exitCode !== null) throw new Error(`kubectl port-forward exited: ${out}`);
  return { child, out: () => out };
}

function get(port: number, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timed out')));
    req.end();
  });
}

async function checkForwarding(port: number, host: string): Promise<void> {
  // Several connections, some at once: each is its own pair of SPDY streams.
  const pages = await Promise.all([0, 1, 2].map(() => get(port, '/index.html')));
  for (const p of pages) expect(p).toMatchObject({ status: 200, body: Buffer.from(`hello from ${host}\n`) });
  const [big, sum] = await Promise.all([get(port, '/big'), get(port, '/big.md5')]);
  expect(big.body.length).toBe(1048576);
  expect(createHash('md5').update(big.body).digest('hex')).toBe(sum.body.toString().trim());
}

describe.skipIf(!apiServed)(`kubectl port-forward${untilServed}`, () => {
  it('forwards connections to a pod on the server\'s node and on a joined agent', async () => {
    for (const pod of ['near', 'far']) {
      const port = await freePort();
      const pf = await portForward([`pod/${pod}`, `${port}:8080`]);
      try {
        await checkForwarding(port, pod);
      } finally {
        pf.child.kill();
      }
    }
  });

  it('works over its SPDY fallback, and for a service resolved to its pod', async () => {
    const port = await freePort();
    const spdy = await portForward([`pod/far`, `${port}:8080`], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    try {
      await checkForwarding(port, 'far');
    } finally {
      spdy.child.kill();
    }
    const svcPort = await freePort();
    const svc = await portForward(['svc/far-svc', `${svcPort}:80`]);
    try {
      expect((await get(svcPort, '/index.html')).body.toString()).toBe('hello from far\n');
    } finally {
      svc.child.kill();
    }
  });

  it('reports a port nothing listens on through the error stream', async () => {
    const port = await freePort();
    const pf = await portForward(['pod/far', `${port}:9`]);
    try {
      await new Promise<void>((resolve) => {
        const sock = connect(port, '127.0.0.1');
        sock.on('error', () => resolve());
        sock.on('close', () => resolve());
        sock.resume();
      });
      const out = await until(c.s, 'the error reported', () => pf.out(), (o) => /error forwarding port 9/.test(o));
      expect(out).toMatch(/an error occurred forwarding \d+ -> 9: .*error forwarding port 9 to pod far_default\(.*\): dial tcp [\d.]+:9: .*connect ECONNREFUSED/);
    } finally {
      pf.child.kill();
    }
  });
});
