import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { containerSpec, sandboxSpec, specHash } from '../../../pkg/agent/pod/container-spec.ts';
import { DockerRuntime, type ContainerStatus } from '../../../pkg/agent/runtime/index.ts';
import type { core } from '../../../pkg/api/types/index.ts';

const pod = (spec: Partial<core.PodSpec>, name = 'web-1'): core.Pod => ({
  metadata: { name, namespace: 'app', uid: `uid-${name}` },
  spec: { containers: [], ...spec },
});

describe('pod → container specs', () => {
  it('joins a PID namespace: the target of an ephemeral container, else the sandbox when the pod shares one', () => {
    const c: core.Container = { name: 'main', image: 'busybox' };
    const ctx = { node: 'n1', sandboxId: 'sb', kind: 'app' as const, restartCount: 0, env: {}, mounts: [] };
    expect(containerSpec(pod({ containers: [c] }), c, ctx).pidContainer).toBeUndefined();
    expect(containerSpec(pod({ containers: [c], shareProcessNamespace: true }), c, ctx).pidContainer).toBe('sb');
    expect(containerSpec(pod({ containers: [c], shareProcessNamespace: true }), c, { ...ctx, kind: 'ephemeral', pidContainer: 'app1' }).pidContainer).toBe('app1');
    expect(containerSpec(pod({ containers: [c] }), c, { ...ctx, kind: 'ephemeral', pidContainer: 'app1' }).pidContainer).toBe('app1');
    const host = pod({ containers: [c], hostPID: true, hostIPC: true });
    expect(containerSpec(host, c, ctx)).toMatchObject({ hostPID: true, hostIPC: true });
    expect(sandboxSpec(host, { node: 'n1', pauseImage: 'pause', network: 'net' })).toMatchObject({ hostIPC: true });
    expect(sandboxSpec(host, { node: 'n1', pauseImage: 'pause', network: 'net' })).not.toHaveProperty('hostPID');
  });

  it('maps resources, security context, command/args and labels', () => {
    const c: core.Container = {
      name: 'main', image: 'busybox:1.36', command: ['sh', '-c'], args: ['echo $(GREETING) $$(HOME)'], workingDir: '/srv',
      resources: { requests: { cpu: '250m' }, limits: { cpu: '1500m', memory: '64Mi' } },
      securityContext: { runAsUser: 1000, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
      tty: true,
    };
    const p = pod({ containers: [c], securityContext: { runAsGroup: 3000 } });
    const spec = containerSpec(p, c, { node: 'n1', sandboxId: 'sb', kind: 'app', restartCount: 2, env: { GREETING: 'hi' }, mounts: [] });
    expect(spec).toMatchObject({
      name: 'k8s_main_web-1_app_uid-web-1_2',
      image: 'busybox:1.36',
      entrypoint: ['sh', '-c'],
      cmd: ['echo hi $(HOME)'],
      workingDir: '/srv',
      network: { kind: 'container', id: 'sb' },
      cpuPeriod: 100_000,
      cpuQuota: 150_000,
      cpuShares: 256,
      memoryBytes: 64 * 2 ** 20,
      user: '1000:3000',
      readOnlyRootfs: true,
      capAdd: ['NET_ADMIN'],
      capDrop: ['ALL'],
      tty: true,
      labels: {
        'skiff.io/node': 'n1', 'io.kubernetes.pod.uid': 'uid-web-1', 'io.kubernetes.pod.name': 'web-1', 'io.kubernetes.pod.namespace': 'app',
        'io.kubernetes.container.name': 'main', 'skiff.io/restart-count': '2', 'skiff.io/container-kind': 'app', 'skiff.io/spec-hash': specHash(c),
      },
    });
    // command without args: the image's CMD is not used.
    expect(containerSpec(p, { name: 'x', image: 'i', command: ['true'] }, { node: 'n1', sandboxId: 'sb', kind: 'app', restartCount: 0, env: {}, mounts: [] }).cmd).toEqual([]);
    // Only an image change makes a new container.
    expect(specHash({ ...c, image: 'busybox:1.37' })).not.toBe(specHash(c));
    expect(specHash({ ...c, tty: false })).toBe(specHash(c));
  });

  it('gives the sandbox the hostname, host aliases and host ports', () => {
    const p = pod({
      hostname: 'db-0',
      hostAliases: [{ ip: '10.0.0.1', hostnames: ['foo.local', 'bar.local'] }],
      containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] }],
    });
    expect(sandboxSpec(p, { node: 'n1', pauseImage: 'skiff/pause:x', network: 'skiff', ip: '10.42.0.5' })).toMatchObject({
      name: 'k8s_POD_web-1_app_uid-web-1_0',
      image: 'skiff/pause:x',
      cmd: ['/pause'],
      sandbox: true,
      network: { kind: 'bridge', network: 'skiff', ip: '10.42.0.5' },
      hostname: 'db-0',
      extraHosts: ['foo.local:10.0.0.1', 'bar.local:10.0.0.1'],
      hostPorts: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }],
      labels: { 'skiff.io/container-kind': 'sandbox' },
    });
    expect(sandboxSpec(pod({ hostNetwork: true }), { node: 'n1', pauseImage: 'p', network: 'skiff' })).toMatchObject({ network: { kind: 'host' }, hostname: undefined });
  });
});

describe('pod → container specs on the real engine', () => {
  const rt = new DockerRuntime();
  const run = randomBytes(3).toString('hex');
  const net = { name: `skiff-test-${run}`, subnet: '10.199.9.0/24', gateway: '10.199.9.1', bridge: `sk-p-${run}` };
  afterAll(async () => {
    for (const c of await rt.listContainers({ 'skiff.io/node': `test-${run}` })) await rt.removeContainer(c.id);
    await rt.removeNetwork(net.name);
  });

  it('runs a container with its environment, arguments and user inside the pod sandbox', async () => {
    await rt.ensureNetwork(net);
    const c: core.Container = { name: 'main', image: 'skiff-test/busybox:latest', command: ['sh', '-c', `test "$(id -u):$(id -g)" = 1234:5678 && test "$(hostname)" = p-${run} && test "$1" = hi`], args: ['sh', '$(GREETING)'], securityContext: { runAsUser: 1234, runAsGroup: 5678 } };
    const p = pod({ containers: [c] }, `p-${run}`);
    const sandbox = await rt.createContainer(sandboxSpec(p, { node: `test-${run}`, pauseImage: await rt.ensurePauseImage(), network: net.name, ip: '10.199.9.20' }));
    await rt.startContainer(sandbox);
    const spec = containerSpec(p, c, { node: `test-${run}`, sandboxId: sandbox, kind: 'app', restartCount: 0, env: { GREETING: 'hi' }, mounts: [] });
    const id = await rt.createContainer(spec);
    await rt.startContainer(id);
    let s: ContainerStatus | undefined;
    for (let i = 0; i < 100 && s?.state !== 'exited'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await rt.inspectContainer(id);
    }
    expect(s).toMatchObject({ state: 'exited', exitCode: 0 });
    expect((await rt.inspectContainer(sandbox))?.ip).toBe('10.199.9.20');
  });
});
