import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { containerMounts, setUpVolumes, VolumeError, type VolumeContext } from '../../../pkg/agent/pod/volumes.ts';
import { DockerRuntime } from '../../../pkg/agent/runtime/index.ts';
import type { core } from '../../../pkg/api/types/index.ts';

const root = mkdtempSync(join(tmpdir(), 'skiff-volumes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');
let cmData: Record<string, string> = { 'app.ini': 'mode=fast', extra: 'x' };
const ctx = (name: string, extra: Partial<VolumeContext> = {}): VolumeContext => ({
  podDir: join(root, name),
  configMap: (_ns, n) => (n === 'cfg' ? { data: cmData } : undefined),
  secret: (_ns, n) => (n === 'creds' ? { data: { password: b64('s3cret') } } : undefined),
  nodeName: 'n1', hostIP: '192.168.1.5', podIP: '10.42.0.9', allocatable: { cpu: 2, memory: 2 ** 32 },
  ...extra,
});
const pod = (volumes: core.Volume[], containers: core.Container[] = [{ name: 'c', image: 'i' }]): core.Pod => ({
  metadata: { name: 'web-1', namespace: 'app', uid: 'u1', labels: { app: 'web', tier: 'fe' } },
  spec: { containers, volumes },
});

describe('pod volumes on the host', () => {
  it('fills configMap, secret and downwardAPI volumes with items and modes', () => {
    const vols = setUpVolumes(pod([
      { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'app.ini', path: 'conf/app.ini', mode: 0o600 }] } },
      { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400 } },
      { name: 'info', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }, { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
    ]), ctx('p1'));
    expect(readFileSync(join(vols.get('cfg')!, 'conf/app.ini'), 'utf8')).toBe('mode=fast');
    expect(statSync(join(vols.get('cfg')!, 'conf/app.ini')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(vols.get('cfg')!, 'extra'))).toBe(false);
    expect(readFileSync(join(vols.get('creds')!, 'password'), 'utf8')).toBe('s3cret');
    expect(statSync(join(vols.get('creds')!, 'password')).mode & 0o777).toBe(0o400);
    expect(readFileSync(join(vols.get('info')!, 'name'), 'utf8')).toBe('web-1');
    expect(readFileSync(join(vols.get('info')!, 'labels'), 'utf8')).toBe('app="web"\ntier="fe"');
  });

  it('refreshes a configMap volume in place when the object changes', () => {
    const p = pod([{ name: 'cfg', configMap: { name: 'cfg' } }]);
    const dir = setUpVolumes(p, ctx('p2')).get('cfg')!;
    expect(readFileSync(join(dir, 'app.ini'), 'utf8')).toBe('mode=fast');
    cmData = { 'app.ini': 'mode=slow' };
    setUpVolumes(p, ctx('p2'));
    expect(readFileSync(join(dir, 'app.ini'), 'utf8')).toBe('mode=slow');
    expect(existsSync(join(dir, 'extra'))).toBe(false);
  });

  it('fails like the kubelet when a source is missing, unless optional', () => {
    const err = (v: core.Volume) => {
      try {
        setUpVolumes(pod([v]), ctx('p3'));
      } catch (e) {
        expect(e).toBeInstanceOf(VolumeError);
        return (e as Error).message;
      }
      return 'ok';
    };
    expect(err({ name: 'v', configMap: { name: 'nope' } })).toBe('MountVolume.SetUp failed for volume "v" : configmap "nope" not found');
    expect(err({ name: 'v', secret: { secretName: 'gone' } })).toBe('MountVolume.SetUp failed for volume "v" : secret "gone" not found');
    expect(err({ name: 'v', secret: { secretName: 'creds', items: [{ key: 'user', path: 'u' }] } })).toBe('MountVolume.SetUp failed for volume "v" : references non-existent secret key: user');
    expect(err({ name: 'v', configMap: { name: 'nope', optional: true } })).toBe('ok');
    expect(err({ name: 'v', hostPath: { path: '/nonexistent/skiff', type: 'Directory' } })).toBe('MountVolume.SetUp failed for volume "v" : hostPath type check failed: /nonexistent/skiff is not a directory');
    expect(err({ name: 'v', persistentVolumeClaim: { claimName: 'data' } })).toBe('MountVolume.SetUp failed for volume "v" : persistentvolumeclaim "data" is not bound');
    expect(err({ name: 'v', configMap: { name: 'cfg', items: [{ key: 'app.ini', path: '../escape' }] } })).toBe('MountVolume.SetUp failed for volume "v" : invalid path "../escape"');
  });

  it('mounts a bound claim at its volume directory, created world-writable as k3s local-path does', () => {
    const dir = join(root, 'storage', 'pvc-1');
    const vols = setUpVolumes(pod([{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]), ctx('p-claim', { claimPath: (ns, n) => (ns === 'app' && n === 'data' ? dir : undefined) }));
    expect(vols.get('data')).toBe(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o777);
  });

  it('creates hostPath targets on request; mounts are read-only where upstream makes them so', () => {
    const hp = join(root, 'host', 'data');
    const p = pod([{ name: 'h', hostPath: { path: hp, type: 'DirectoryOrCreate' } }, { name: 'cfg', configMap: { name: 'cfg' } }, { name: 'scratch', emptyDir: {} }],
      [{ name: 'c', image: 'i', volumeMounts: [{ name: 'h', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/app' }, { name: 'scratch', mountPath: '/work', subPath: 'c1' }] }]);
    const vols = setUpVolumes(p, ctx('p4'));
    expect(statSync(hp).isDirectory()).toBe(true);
    const log = join(root, 'p4', 'containers', 'c', '0-termination-log');
    expect(containerMounts(p, p.spec!.containers[0]!, vols, log)).toEqual([
      { source: hp, target: '/data', readOnly: false },
      { source: vols.get('cfg'), target: '/etc/app', readOnly: true },
      { source: join(vols.get('scratch')!, 'c1'), target: '/work', readOnly: false },
      { source: log, target: '/dev/termination-log' },
    ]);
    expect(existsSync(join(vols.get('scratch')!, 'c1'))).toBe(true);
  });

  it('makes a relative mountPath absolute, as kubelet does, instead of handing the engine one it refuses', () => {
    const p = pod([{ name: 'scratch', emptyDir: {} }], [{ name: 'c', image: 'i', volumeMounts: [{ name: 'scratch', mountPath: 'work/dir' }] }]);
    const vols = setUpVolumes(p, ctx('p5'));
    const mounts = containerMounts(p, p.spec!.containers[0]!, vols, join(root, 'p5', 'containers', 'c', '0-termination-log'));
    expect(mounts[0]).toEqual({ source: vols.get('scratch'), target: '/work/dir', readOnly: false });
  });
});

describe('volumes seen from inside a container (real engine)', () => {
  it('shows files through the mounts, and a configMap update without a restart', async () => {
    const rt = new DockerRuntime();
    const run = randomBytes(3).toString('hex');
    cmData = { greeting: 'hello' };
    const c: core.Container = { name: 'c', image: 'skiff-test/busybox:latest', volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }, { name: 'creds', mountPath: '/secret' }] };
    const p = pod([{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'creds', secret: { secretName: 'creds' } }], [c]);
    const vctx = ctx(`docker-${run}`);
    const vols = setUpVolumes(p, vctx);
    const id = await rt.createContainer({
      name: `skiff-test-vol-${run}`, image: c.image!, entrypoint: ['sleep', '1000'], labels: { 'skiff.io/test': run }, network: { kind: 'host' },
      mounts: containerMounts(p, c, vols, join(vctx.podDir, 'containers', 'c', '0-termination-log')),
    });
    try {
      await rt.startContainer(id);
      expect((await rt.exec(id, ['cat', '/etc/app/greeting', '/secret/password'], { timeoutMs: 5_000 })).stdout).toBe('hellos3cret');
      expect((await rt.exec(id, ['sh', '-c', 'echo x > /etc/app/new'], { timeoutMs: 5_000 })).exitCode).not.toBe(0);
      cmData = { greeting: 'bonjour' };
      setUpVolumes(p, vctx);
      expect((await rt.exec(id, ['cat', '/etc/app/greeting'], { timeoutMs: 5_000 })).stdout).toBe('bonjour');
      expect((await rt.exec(id, ['sh', '-c', 'echo done > /dev/termination-log'], { timeoutMs: 5_000 })).exitCode).toBe(0);
      expect(readFileSync(join(vctx.podDir, 'containers', 'c', '0-termination-log'), 'utf8')).toBe('done\n');
    } finally {
      await rt.removeContainer(id);
    }
  });
});
