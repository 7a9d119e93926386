import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHook } from '../../../pkg/agent/pod/hooks.ts';
import { ProbeState, resolvePort, runProbe, type ProbeTarget } from '../../../pkg/agent/pod/probe.ts';
import { DockerRuntime } from '../../../pkg/agent/runtime/index.ts';

const rt = new DockerRuntime();
let server: http.Server;
let port: number;
let seen: http.IncomingHttpHeaders | undefined;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen = req.headers;
    const code = Number(req.url?.slice(1)) || 200;
    res.writeHead(code, code === 302 ? { Location: 'http://elsewhere.invalid/' } : {});
    if (req.url === '/slow') return setTimeout(() => res.end(), 2_000);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

const target = (extra: Partial<ProbeTarget> = {}): ProbeTarget => ({
  runtime: rt, containerId: 'none', podIP: '127.0.0.1',
  container: { name: 'c', image: 'i', ports: [{ name: 'http', containerPort: port }] }, ...extra,
});

describe('probes', () => {
  it('httpGet: 200–399 succeed, others fail with upstream messages; named ports; headers', async () => {
    expect(await runProbe({ httpGet: { path: '/200', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } }, target())).toEqual({ ok: true });
    expect(seen).toMatchObject({ 'user-agent': 'kube-probe/1.32', 'x-probe': 'yes' });
    expect(await runProbe({ httpGet: { path: '/302', port } }, target())).toEqual({ ok: true });
    expect(await runProbe({ httpGet: { path: '/500', port } }, target())).toEqual({ ok: false, message: 'HTTP probe failed with statuscode: 500' });
    expect(await runProbe({ httpGet: { path: '/slow', port }, timeoutSeconds: 1 }, target())).toMatchObject({ ok: false, message: expect.stringMatching(/context deadline exceeded/) });
    expect(await runProbe({ httpGet: { path: '/', port: 'nope' } }, target())).toEqual({ ok: false, message: "couldn't find port nope in container c" });
  });

  it('tcpSocket: connects or reports the refusal', async () => {
    expect(await runProbe({ tcpSocket: { port } }, target())).toEqual({ ok: true });
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const free = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await runProbe({ tcpSocket: { port: free } }, target())).toEqual({ ok: false, message: `dial tcp 127.0.0.1:${free}: connect: connection refused` });
  });

  it('exec: exit 0 succeeds; output explains a failure', async () => {
    const run = randomBytes(3).toString('hex');
    const id = await rt.createContainer({ name: `skiff-test-probe-${run}`, image: 'skiff-test/busybox:latest', entrypoint: ['sleep', '1000'], labels: { 'skiff.io/test': run }, network: { kind: 'host' } });
    try {
      await rt.startContainer(id);
      expect(await runProbe({ exec: { command: ['true'] } }, target({ containerId: id }))).toEqual({ ok: true });
      expect(await runProbe({ exec: { command: ['sh', '-c', 'echo not yet; exit 1'] } }, target({ containerId: id }))).toEqual({ ok: false, message: 'not yet' });
      expect(await runProbe({ exec: { command: ['sleep', '3'] }, timeoutSeconds: 1 }, target({ containerId: id }))).toEqual({ ok: false, message: 'command timed out after 1s' });
      // Commands the engine refuses are failed attempts, not errors for the pod's sync.
      for (const command of [[], ['']]) expect(await runProbe({ exec: { command } }, target({ containerId: id }))).toMatchObject({ ok: false, message: expect.stringMatching(/\S/) });
      expect(await runHook({ exec: { command: [] } }, rt, id, target().container, '127.0.0.1', 5_000)).toMatch(/^command "" failed: /);
      expect(await runHook({ exec: { command: ['true'] } }, rt, id, target().container, '127.0.0.1', 5_000)).toBeUndefined();
    } finally {
      await rt.removeContainer(id);
    }
  });

  it('resolves numeric and named ports', () => {
    const c = { name: 'c', image: 'i', ports: [{ name: 'metrics', containerPort: 9090 }] };
    expect(resolvePort(8080, c)).toBe(8080);
    expect(resolvePort('8080', c)).toBe(8080);
    expect(resolvePort('metrics', c)).toBe(9090);
  });
});

describe('probe verdicts over time', () => {
  it('readiness starts false; thresholds flip it', () => {
    const s = new ProbeState('readiness', { successThreshold: 2, failureThreshold: 2, initialDelaySeconds: 5, periodSeconds: 3 }, 1_000);
    expect(s.firstAt).toBe(6_000);
    expect(s.periodMs).toBe(3_000);
    expect(s.verdict).toBe(false);
    expect([s.record(true), s.record(true), s.record(false), s.record(true), s.record(false), s.record(false)]).toEqual([false, true, true, true, true, false]);
  });

  it('liveness starts true and fails after failureThreshold (default 3) in a row', () => {
    const s = new ProbeState('liveness', {}, 0);
    expect([s.record(false), s.record(false), s.record(true), s.record(false), s.record(false), s.record(false)]).toEqual([true, true, true, true, true, false]);
  });
});
