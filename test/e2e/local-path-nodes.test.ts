import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { joinAgents, removeNodeLeftovers, type JoinedAgents } from './nodes.ts';

// local-path across nodes: a server without its own agent and two joined `skiff agent`s, each
// with its own data dir, so each volume lives on one agent's disk.
const run = randomBytes(3).toString('hex');
const nodes = [`lp-a-${run}`, `lp-b-${run}`];
const cidr = `10.${140 + (randomBytes(1)[0]! % 50)}.0.0/16`;
let s: TestServer;
let joined: JoinedAgents | undefined;

beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer(['--cluster-cidr', cidr]);
  joined = await joinAgents(s, nodes);
});
afterAll(async () => {
  await joined?.stop();
  await s?.stop();
  for (const n of nodes) await removeNodeLeftovers(n);
});

async function until<T>(what: string, fn: () => T, ok: (v: T) => boolean, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: timed out; last ${JSON.stringify(v).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const manifest = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  podManagementPolicy: Parallel
  serviceName: db
  selector: {matchLabels: {app: db}}
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: db
        image: skiff-test/busybox:latest
        imagePullPolicy: IfNotPresent
        command: [sh, -c, "hostname >> /var/db/log; exec sleep 3600"]
        volumeMounts: [{name: data, mountPath: /var/db}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 16Mi}}}
`;

type Pod = { metadata: { name: string; uid: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status: { phase?: string } };
type Volume = { metadata: { name: string }; spec: { hostPath: { path: string }; claimRef: { name: string }; nodeAffinity: { required: { nodeSelectorTerms: { matchExpressions: { values: string[] }[] }[] } } } };
const json = <T>(args: string[]): T => JSON.parse(s.kubectl([...args, '-o', 'json']).stdout) as T;
const running = () => json<{ items: Pod[] }>(['get', 'pods', '-l', 'app=db']).items.filter((p) => !p.metadata.deletionTimestamp && p.status.phase === 'Running');
const volumeNode = (v: Volume) => v.spec.nodeAffinity.required.nodeSelectorTerms[0]!.matchExpressions[0]!.values[0]!;

describe.skipIf(!apiServed)(`local-path volumes across joined agents${untilServed}`, () => {
  it('keeps each pod on the node that holds its volume, and each agent removes its own directories', async () => {
    await until('both nodes Ready', () => s.kubectl(['get', 'nodes', '--no-headers']).stdout, (out) => nodes.every((n) => new RegExp(`^${n}\\s+Ready\\s`, 'm').test(out)));
    expect(s.kubectl(['apply', '-f', '-'], { input: manifest }).stderr).toBe('');
    const first = await until('2 pods Running', running, (l) => l.length === 2);

    const volumes = json<{ items: Volume[] }>(['get', 'pv']).items;
    expect(volumes).toHaveLength(2);
    for (const v of volumes) {
      const node = volumeNode(v);
      // The directory is under the data dir of the agent on that node.
      expect(v.spec.hostPath.path).toBe(join(s.dir, node, 'storage', v.metadata.name));
      const pod = first.find((p) => v.spec.claimRef.name === `data-${p.metadata.name}`)!;
      expect(pod.spec.nodeName).toBe(node);
      expect(readFileSync(join(v.spec.hostPath.path, 'log'), 'utf8')).toBe(`${pod.metadata.name}\n`);
    }

    // Replaced pods come back on their volume's node, whatever the scores say.
    s.kubectl(['delete', 'pods', '-l', 'app=db', '--wait=false']);
    const again = await until('replaced', running, (l) => l.length === 2 && l.every((p) => !first.some((f) => f.metadata.uid === p.metadata.uid)));
    for (const p of again) expect(p.spec.nodeName).toBe(first.find((f) => f.metadata.name === p.metadata.name)!.spec.nodeName);
    for (const v of volumes) expect(readFileSync(join(v.spec.hostPath.path, 'log'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);

    // whenDeleted: Delete — the claims go with the set, their volumes with them, and each node's
    // agent removes its directory.
    expect(s.kubectl(['delete', 'statefulset', 'db']).stdout).toBe('statefulset.apps "db" deleted\n');
    await until('claims gone', () => json<{ items: unknown[] }>(['get', 'pvc']).items, (l) => l.length === 0);
    await until('volumes gone', () => json<{ items: unknown[] }>(['get', 'pv']).items, (l) => l.length === 0);
    await until('directories removed', () => volumes.map((v) => existsSync(v.spec.hostPath.path)), (l) => l.every((x) => !x), 30_000);
  });
});
