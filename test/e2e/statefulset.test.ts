import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

// StatefulSets on skiff server with its own agent, driven by the real kubectl on real Docker.
const node = `sts-${randomBytes(3).toString('hex')}`;
const cidr = `10.${90 + (randomBytes(1)[0]! % 40)}.0.0/16`;
let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(['--node-name', node, '--cluster-cidr', cidr], { agent: true });
});
afterAll(async () => {
  await s?.stop();
  await removeNodeLeftovers(node);
});

const container = `      terminationGracePeriodSeconds: 1
      containers:
      - name: app
        image: skiff-test/busybox:latest
        imagePullPolicy: IfNotPresent`;

const rolling = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: roll}
spec:
  replicas: 2
  serviceName: roll
  selector: {matchLabels: {app: roll}}
  template:
    metadata: {labels: {app: roll}}
    spec:
${container}
        command: [sh, -c, "echo ok > /tmp/ok; httpd -f -p 8080 -h /tmp"]
        readinessProbe: {httpGet: {path: /ok, port: 8080}, periodSeconds: 1}
`;

const withVolumes = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: 3
  serviceName: web
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${container}
        command: [sh, -c, "hostname >> /data/starts; exec sleep 3600"]
        readinessProbe: {exec: {command: [cat, /data/starts]}, periodSeconds: 1, timeoutSeconds: 10}
        volumeMounts: [{name: www, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 64Mi}}
`;

type Pod = {
  metadata: { name: string; labels: Record<string, string>; deletionTimestamp?: string; creationTimestamp: string; uid: string };
  spec: { containers: { env?: { name: string; value: string }[] }[]; volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] };
  status: { phase?: string; conditions?: { type: string; status: string; lastTransitionTime: string }[]; containerStatuses?: { state: { running?: { startedAt: string } } }[] };
};
type Claim = { metadata: { name: string }; spec: { volumeName?: string; storageClassName?: string }; status: { phase: string } };
type Volume = { metadata: { name: string }; spec: { hostPath?: { path: string }; nodeAffinity?: unknown }; status: { phase: string } };
const list = <T>(what: string): T[] => JSON.parse(s.kubectl(['get', what, '-o', 'json']).stdout).items as T[];
async function until<T>(what: string, fn: () => T, ok: (v: T) => boolean, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: timed out; last ${JSON.stringify(v).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
const startedAt = (p: Pod) => Date.parse(p.status.containerStatuses?.[0]?.state.running?.startedAt ?? '');
const readyAt = (p: Pod) => Date.parse(p.status.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime ?? '');
const livePods = (label: string): Pod[] => (JSON.parse(s.kubectl(['get', 'pods', '-l', label, '-o', 'json']).stdout).items as Pod[]).filter((p) => !p.metadata.deletionTimestamp);

describe.skipIf(!apiServed)(`StatefulSets on the real Docker engine${untilServed}`, () => {
  it('rolls out, rolls a new template, and undoes it with kubectl rollout', () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: rolling }).stdout).toBe('statefulset.apps/roll created\n');
    const first = s.kubectl(['rollout', 'status', 'statefulset/roll', '--timeout=90s']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/partitioned roll out complete: 2 new pods have been updated...\n$/);
    expect(livePods('app=roll').map((p) => p.metadata.name).sort()).toEqual(['roll-0', 'roll-1']);

    expect(s.kubectl(['set', 'env', 'statefulset/roll', 'COLOUR=blue']).stdout).toBe('statefulset.apps/roll env updated\n');
    expect(s.kubectl(['rollout', 'status', 'statefulset/roll', '--timeout=90s']).stdout).toMatch(/partitioned roll out complete: 2 new pods have been updated...\n$/);
    expect(livePods('app=roll').map((p) => p.spec.containers[0]!.env)).toEqual([[{ name: 'COLOUR', value: 'blue' }], [{ name: 'COLOUR', value: 'blue' }]]);
    const history = s.kubectl(['rollout', 'history', 'statefulset/roll']);
    expect(history.stderr).toBe('');
    expect(history.stdout).toMatch(/^1\s+<none>\n2\s+<none>\n/m);

    expect(s.kubectl(['rollout', 'undo', 'statefulset/roll']).stdout).toBe('statefulset.apps/roll rolled back\n');
    expect(s.kubectl(['rollout', 'status', 'statefulset/roll', '--timeout=90s']).stdout).toMatch(/partitioned roll out complete: 2 new pods have been updated...\n$/);
    expect(livePods('app=roll').map((p) => p.spec.containers[0]!.env)).toEqual([undefined, undefined]);
    expect(s.kubectl(['rollout', 'history', 'statefulset/roll']).stdout).toMatch(/^2\s+<none>\n3\s+<none>\n/m);
    const detail = s.kubectl(['rollout', 'history', 'statefulset/roll', '--revision=2']);
    expect(detail.stderr).toBe('');
    expect(detail.stdout).toMatch(/^statefulset.apps\/roll with revision #2\nPod Template:\n  Labels:\tapp=roll\n/);
    expect(detail.stdout).toMatch(/COLOUR:\s+blue/);
    const sts = JSON.parse(s.kubectl(['get', 'sts', 'roll', '-o', 'json']).stdout);
    expect(sts.status).toMatchObject({ replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);
    const described = s.kubectl(['describe', 'statefulset', 'roll']);
    expect(described.stderr).toBe('');
    expect(described.stdout).toMatch(/^Pods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    expect(described.stdout).toMatch(/^Update Strategy:\s+RollingUpdate$/m);
    const events = s.kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']).stdout;
    expect(events).toContain('SuccessfulCreate: create Pod roll-1 in StatefulSet roll successful');
    expect(events).toContain('SuccessfulDelete: delete Pod roll-1 in StatefulSet roll successful');
  });

  it('gives each pod its own local-path volume that outlives the pod, and reclaims deleted claims', async () => {
    expect(s.kubectl(['apply', '-f', '-'], { input: withVolumes }).stderr).toBe('');
    expect(s.kubectl(['rollout', 'status', 'statefulset/web', '--timeout=120s']).stdout).toMatch(/partitioned roll out complete: 3 new pods have been updated...\n$/);
    const pods = livePods('app=web').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    expect(pods.map((p) => `${p.metadata.name}:${p.status.phase}`)).toEqual(['web-0:Running', 'web-1:Running', 'web-2:Running']);
    // OrderedReady: each pod was created only once the one before it was running (the unit tests
    // pin the wait for Ready itself; a Ready time may move later if a probe ever flaps).
    for (let i = 1; i < 3; i++) expect(Date.parse(pods[i]!.metadata.creationTimestamp)).toBeGreaterThanOrEqual(Math.floor(startedAt(pods[i - 1]!) / 1000) * 1000);

    const claims = list<Claim>('pvc');
    expect(claims.map((c) => `${c.metadata.name}:${c.status.phase}:${c.spec.storageClassName}`).sort()).toEqual(['www-web-0:Bound:local-path', 'www-web-1:Bound:local-path', 'www-web-2:Bound:local-path']);
    const storage = join(s.dir, 'data', 'storage');
    const pvs = list<Volume>('pv');
    expect(pvs).toHaveLength(3);
    for (const pv of pvs) {
      expect(pv.spec.hostPath?.path).toBe(join(storage, pv.metadata.name));
      expect(statSync(pv.spec.hostPath!.path).mode & 0o777).toBe(0o777);
    }
    const pathOf = (claim: string) => join(storage, list<Claim>('pvc').find((c) => c.metadata.name === claim)!.spec.volumeName!);
    expect(readFileSync(join(pathOf('www-web-1'), 'starts'), 'utf8')).toBe('web-1\n');
    expect(s.kubectl(['exec', 'web-2', '--', 'cat', '/data/starts']).stdout).toBe('web-2\n');
    // Pods were bound only once their claims were: no node ever tried to mount an unbound claim.
    expect(s.kubectl(['get', 'events', '-o', 'jsonpath={.items[*].reason}']).stdout.split(' ')).not.toContain('FailedMount');

    const oldUid = pods[1]!.metadata.uid;
    expect(s.kubectl(['delete', 'pod', 'web-1']).stdout).toBe('pod "web-1" deleted\n');
    await until('web-1 back and Ready', () => livePods('app=web').find((p) => p.metadata.name === 'web-1'), (p) => !!p && p.metadata.uid !== oldUid && readyAt(p) > 0);
    expect(s.kubectl(['exec', 'web-1', '--', 'cat', '/data/starts']).stdout).toBe('web-1\nweb-1\n');
    expect(list<Claim>('pvc')).toHaveLength(3);
    const claim = s.kubectl(['describe', 'pvc', 'www-web-1']).stdout;
    expect(claim).toMatch(/^Status:\s+Bound$/m);
    expect(claim).toMatch(/^Used By:\s+web-1$/m);
    expect(claim).toMatch(/ProvisioningSucceeded\s.*Successfully provisioned volume pvc-/);

    expect(s.kubectl(['scale', 'statefulset', 'web', '--replicas=1']).stdout).toBe('statefulset.apps/web scaled\n');
    await until('one pod left', () => list<Pod>('pods').filter((p) => p.metadata.labels.app === 'web').map((p) => p.metadata.name), (n) => n.length === 1 && n[0] === 'web-0');
    expect(list<Claim>('pvc').map((c) => c.metadata.name).sort()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);

    const gone = [pathOf('www-web-1'), pathOf('www-web-2')];
    expect(s.kubectl(['delete', 'pvc', 'www-web-1', 'www-web-2']).stdout).toBe('persistentvolumeclaim "www-web-1" deleted\npersistentvolumeclaim "www-web-2" deleted\n');
    await until('their volumes deleted', () => list<Volume>('pv'), (l) => l.length === 1);
    await until('their directories removed', () => gone.filter(existsSync), (l) => l.length === 0, 30_000);
    expect(existsSync(join(pathOf('www-web-0'), 'starts'))).toBe(true);
  });
});
