import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime, RuntimeUnavailableError, type ContainerStatus } from '../../../pkg/agent/runtime/index.ts';

// Real Docker engine (./scripts/setup.sh starts one and builds the test image).
const image = 'skiff-test/busybox:latest';
const run = randomBytes(3).toString('hex');
const labels = { 'skiff.io/test': run };
const rt = new DockerRuntime();
const net = { name: `skiff-test-${run}`, subnet: '10.199.7.0/24', gateway: '10.199.7.1', bridge: `sk-t-${run}`, labels };

async function until(id: string, done: (s: ContainerStatus) => boolean): Promise<ContainerStatus> {
  for (let i = 0; i < 300; i++) {
    const s = await rt.inspectContainer(id);
    if (s && done(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`container ${id} never reached the expected state: ${JSON.stringify(await rt.inspectContainer(id))}`);
}

async function container(name: string, extra: Partial<Parameters<DockerRuntime['createContainer']>[0]> = {}): Promise<string> {
  const id = await rt.createContainer({ name: `skiff-test-${run}-${name}`, image, labels: { ...labels, name }, network: { kind: 'bridge', network: net.name }, ...extra });
  await rt.startContainer(id);
  return id;
}

beforeAll(async () => {
  await rt.ping();
  await rt.ensureNetwork(net);
});

afterAll(async () => {
  for (const c of await rt.listContainers(labels)) await rt.removeContainer(c.id);
  await rt.removeNetwork(net.name);
});

describe('DockerRuntime against the real engine', () => {
  it('names the engine, and says how to fix an unreachable one', async () => {
    expect(await rt.version()).toMatch(/^docker:\/\/\d+\.\d+/);
    const bad = new DockerRuntime({ socketPath: '/nonexistent/docker.sock' });
    const err = await bad.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeUnavailableError);
    expect((err as Error).message).toMatch(/^cannot reach the Docker engine .*; start it/);
  });

  it('builds the sandbox image once, locally', async () => {
    const ref = await rt.ensurePauseImage();
    expect(ref).toMatch(/^skiff\/pause:[0-9a-f]{12}$/);
    expect(await rt.hasImage(ref)).toBe(true);
    expect(await rt.ensurePauseImage()).toBe(ref);
    expect(await rt.hasImage('skiff-test/does-not-exist:1')).toBe(false);
  });

  it('reuses its network, and refuses one with another subnet', async () => {
    await rt.ensureNetwork(net);
    await expect(rt.ensureNetwork({ ...net, subnet: '10.199.8.0/24', gateway: '10.199.8.1' })).rejects.toThrow(/exists with subnet 10\.199\.7\.0\/24/);
  });

  it('runs a pod: containers joined to a sandbox share its address and localhost', async () => {
    const pause = await rt.ensurePauseImage();
    const sandbox = await rt.createContainer({ name: `skiff-test-${run}-sandbox`, image: pause, cmd: ['/pause'], labels: { ...labels, name: 'sandbox' }, sandbox: true, network: { kind: 'bridge', network: net.name, ip: '10.199.7.10' }, hostname: 'pod-a' });
    await rt.startContainer(sandbox);
    const s = await until(sandbox, (x) => x.state === 'running');
    expect(s.ip).toBe('10.199.7.10');

    const joined = { kind: 'container', id: sandbox } as const;
    await container('server', { network: joined, entrypoint: ['httpd', '-f', '-p', '8080', '-h', '/etc'] });
    const client = await container('client', { network: joined, entrypoint: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://127.0.0.1:8080/hostname && exit 0; sleep 0.2; done; exit 1'] });
    const done = await until(client, (x) => x.state === 'exited');
    expect(done.exitCode).toBe(0);
    expect(done.finishedAt).toBeTruthy();
  });

  it('kills a container that exceeds its memory limit: OOMKilled', async () => {
    const id = await container('hog', { memoryBytes: 16 * 1024 * 1024, entrypoint: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'] });
    // The engine learns of the OOM kill from a separate event that can trail the exit: wait for it.
    const s = await until(id, (x) => x.state === 'exited' && x.oomKilled === true);
    expect(s).toMatchObject({ exitCode: 137, oomKilled: true });
  });

  it('runs a container limited to more CPUs than the host has (a CFS quota, as kubelet sets)', async () => {
    const id = await container('wide', { cpuPeriod: 100_000, cpuQuota: 64 * 100_000, entrypoint: ['sleep', '1000'] });
    expect(await until(id, (x) => x.state === 'running')).toMatchObject({ state: 'running' });
  });

  it('stops with SIGTERM, then SIGKILL after the grace period', async () => {
    const polite = await container('polite', { entrypoint: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'] });
    const stubborn = await container('stubborn', { entrypoint: ['sleep', '1000'] });
    await until(polite, (x) => x.state === 'running');
    await rt.stopContainer(polite, 5);
    await rt.stopContainer(stubborn, 1);
    expect(await rt.inspectContainer(polite)).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(await rt.inspectContainer(stubborn)).toMatchObject({ state: 'exited', exitCode: 137 });
    await rt.stopContainer(stubborn, 1); // already stopped: no error
  });

  it('runs commands in a running container: output, exit code, timeout', async () => {
    const id = await container('exec', { entrypoint: ['sleep', '1000'] });
    await until(id, (x) => x.state === 'running');
    expect(await rt.exec(id, ['sh', '-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 10_000 })).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await rt.exec(id, ['true'], { timeoutMs: 10_000 })).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await rt.exec(id, ['sleep', '5'], { timeoutMs: 300 })).toMatchObject({ timedOut: true });
    await expect(rt.exec(id, ['/no/such/binary'], { timeoutMs: 10_000 })).resolves.toMatchObject({ exitCode: 126 });
  });

  it('lists by label and removes, idempotently', async () => {
    const id = await container('listed', { entrypoint: ['sleep', '1000'], env: { GREETING: 'hi' } });
    const found = await rt.listContainers({ ...labels, name: 'listed' });
    expect(found.map((c) => c.id)).toEqual([id]);
    expect(found[0]).toMatchObject({ name: `skiff-test-${run}-listed`, image, labels: { name: 'listed' }, state: 'running' });
    await rt.removeContainer(id);
    await rt.removeContainer(id);
    expect(await rt.inspectContainer(id)).toBeUndefined();
    expect(await rt.listContainers({ ...labels, name: 'listed' })).toEqual([]);
  });
});
