import { chmodSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, waitForOutput, type TestServer } from './harness.ts';
import { demoManifests, node, pod } from './fixtures.ts';

let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
});
afterAll(() => s?.stop());

const get = (args: string[]) => JSON.parse(s.kubectl(['get', ...args, '-o', 'json']).stdout);
async function waitUntil(ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!apiServed)(`kubectl against skiff server: writing${untilServed}`, () => {
  it('applies a multi-document file, re-applies an edit, and removes a field', () => {
    const first = s.kubectl(['apply', '-f', '-'], { input: demoManifests });
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('namespace/demo created\nconfigmap/cfg created\ndeployment.apps/web created\nservice/web created\n');

    const edited = demoManifests.replace('replicas: 2', 'replicas: 3').replace('        env:\n        - name: MODE\n          value: fast\n', '');
    const second = s.kubectl(['apply', '-f', '-'], { input: edited });
    expect(second.stdout).toBe('namespace/demo unchanged\nconfigmap/cfg unchanged\ndeployment.apps/web configured\nservice/web unchanged\n');
    const d = get(['deploy', 'web', '-n', 'demo']);
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].env).toBeUndefined();
    expect(d.metadata.generation).toBe(2);
    expect(JSON.parse(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.replicas).toBe(3);
    // managedFields: who set what (kubectl hides them unless asked).
    expect(d.metadata.managedFields).toBeUndefined();
    const mf = JSON.parse(s.kubectl(['get', 'deploy', 'web', '-n', 'demo', '-o', 'json', '--show-managed-fields']).stdout).metadata.managedFields;
    expect(mf[0]).toMatchObject({ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    expect(mf[0].fieldsV1['f:spec']['f:replicas']).toEqual({});

    const noLabel = edited.replace('    tier: config\n', '');
    s.kubectl(['apply', '-f', '-'], { input: noLabel });
    expect(get(['cm', 'cfg', '-n', 'demo']).metadata.labels).toEqual({ app: 'web' });
  });

  it('creates from generators and files, and refuses duplicates', () => {
    expect(s.kubectl(['create', '-f', '-'], { input: pod('p1') }).stdout).toBe('pod/p1 created\n');
    const again = s.kubectl(['create', '-f', '-'], { input: pod('p1') });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('Error from server (AlreadyExists): error when creating "STDIN": pods "p1" already exists\n');
    expect(get(['pod', 'p1', '-n', 'demo']).spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' });
  });

  it('rejects invalid objects with the fields at fault', () => {
    const bad = s.kubectl(['apply', '-f', '-'], { input: demoManifests.replace('replicas: 2', 'replicas: -1').replace('name: web\n  namespace: demo\n  labels', 'name: Web_Bad\n  namespace: demo\n  labels') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The Deployment "Web_Bad" is invalid:');
    expect(bad.stderr).toContain('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(bad.stderr).toContain('metadata.name: Invalid value: "Web_Bad"');
    const unknown = s.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u\n  namespace: demo\nbogus: 1\n' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown field "bogus"');
  });

  it('edits with a scripted editor', () => {
    const editor = join(s.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/replicas: 3/replicas: 5/" "$1"\n');
    chmodSync(editor, 0o755);
    const r = s.kubectl(['edit', 'deployment', 'web', '-n', 'demo'], { env: { KUBE_EDITOR: editor } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/web edited\n');
    expect(get(['deploy', 'web', '-n', 'demo']).spec.replicas).toBe(5);
  });

  it('patches with strategic, merge and JSON patches', () => {
    expect(s.kubectl(['patch', 'deploy', 'web', '-n', 'demo', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}']).stdout)
      .toBe('deployment.apps/web patched\n');
    const d = get(['deploy', 'web', '-n', 'demo']);
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    expect(s.kubectl(['patch', 'deploy', 'web', '-n', 'demo', '--type', 'merge', '-p', '{"metadata":{"labels":{"merged":"yes"}}}']).code).toBe(0);
    expect(s.kubectl(['patch', 'deploy', 'web', '-n', 'demo', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":1}]']).code).toBe(0);
    const after = get(['deploy', 'web', '-n', 'demo']);
    expect(after.metadata.labels.merged).toBe('yes');
    expect(after.spec.replicas).toBe(1);
    const bad = s.kubectl(['patch', 'deploy', 'web', '-n', 'demo', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/nothing/here"}]']);
    expect(bad.code).toBe(1);
    // 422 as upstream answers a JSON patch that cannot apply; kubectl words it "is invalid".
    expect(bad.stderr).toMatch(/^The Deployment "web" is invalid: .*\/spec\/nothing\/here/);
  });

  it('labels and annotates, refusing to overwrite without --overwrite', () => {
    // cfg carries tier=config and app=web from the demo manifests applied before.
    const first = s.kubectl(['label', 'cm', 'cfg', '-n', 'demo', 'team=fe']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('configmap/cfg labeled\n');
    const clash = s.kubectl(['label', 'cm', 'cfg', '-n', 'demo', 'team=be']);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("'team' already has a value (fe), and --overwrite is false");
    expect(s.kubectl(['label', 'cm', 'cfg', '-n', 'demo', 'team=be', '--overwrite']).code).toBe(0);
    expect(s.kubectl(['annotate', 'cm', 'cfg', '-n', 'demo', 'note=hi']).stdout).toBe('configmap/cfg annotated\n');
    expect(s.kubectl(['annotate', 'cm', 'cfg', '-n', 'demo', 'note=ho', '--overwrite']).code).toBe(0);
    expect(s.kubectl(['label', 'cm', 'cfg', '-n', 'demo', 'app-']).stdout).toBe('configmap/cfg unlabeled\n');
    const cm = get(['cm', 'cfg', '-n', 'demo']);
    expect(cm.metadata.labels).toEqual({ tier: 'config', team: 'be' });
    expect(cm.metadata.annotations.note).toBe('ho');
  });

  it('scales through the scale subresource', () => {
    expect(s.kubectl(['scale', 'deploy', 'web', '-n', 'demo', '--replicas', '4']).stdout).toBe('deployment.apps/web scaled\n');
    expect(get(['deploy', 'web', '-n', 'demo']).spec.replicas).toBe(4);
    const stale = s.kubectl(['scale', 'deploy', 'web', '-n', 'demo', '--replicas', '2', '--current-replicas', '3']);
    expect(stale.code).toBe(1);
  });

  it('waits for a condition and for deletion', async () => {
    s.kubectl(['create', '-f', '-'], { input: pod('waiter') });
    const waiting = s.kubectlSpawn(['wait', '--for=condition=Ready', 'pod/waiter', '-n', 'demo', '--timeout=30s']);
    const done = new Promise<{ code: number | null; out: string }>((resolve) => {
      let out = '';
      waiting.stdout!.on('data', (d) => (out += d));
      waiting.on('exit', (code) => resolve({ code, out }));
    });
    const patched = s.kubectl(['patch', 'pod', 'waiter', '-n', 'demo', '--subresource=status', '--type=merge', '-p', '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}']);
    expect(patched.stderr).toBe('');
    expect(await done).toEqual({ code: 0, out: 'pod/waiter condition met\n' });

    const gone = s.kubectlSpawn(['wait', '--for=delete', 'configmap/cfg', '-n', 'demo', '--timeout=30s']);
    const goneDone = new Promise<number | null>((resolve) => gone.on('exit', resolve));
    expect(s.kubectl(['delete', 'cm', 'cfg', '-n', 'demo']).stdout).toBe('configmap "cfg" deleted\n');
    expect(await goneDone).toBe(0);
  });

  it('deletes with cascade policies: background, foreground and orphan', async () => {
    expect(s.kubectl(['delete', 'pod', 'p1', '-n', 'demo']).stdout).toBe('pod "p1" deleted\n');
    expect(s.kubectl(['get', 'pod', 'p1', '-n', 'demo']).code).toBe(1);
    const app = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: demo}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: nginx:1.27}]}\n`;
    const rsOf = (name: string) => s.kubectl(['get', 'rs', '-n', 'demo', '-l', `app=${name}`, '-o', 'name']).stdout.trim();
    const podsOf = (name: string) => s.kubectl(['get', 'pods', '-n', 'demo', '-l', `app=${name}`, '-o', 'name']).stdout.trim();
    for (const n of ['bg', 'fg', 'orph']) {
      expect(s.kubectl(['apply', '-f', '-'], { input: app(n) }).stderr).toBe('');
      expect(s.kubectl(['wait', '--for=jsonpath={.status.replicas}=1', `deploy/${n}`, '-n', 'demo', '--timeout=30s']).code).toBe(0);
    }
    // Background (the default): the garbage collector removes the ReplicaSet and its pods.
    expect(s.kubectl(['delete', 'deploy', 'bg', '-n', 'demo']).stdout).toBe('deployment.apps "bg" deleted\n');
    await waitUntil(() => rsOf('bg') === '' && podsOf('bg') === '');
    // Foreground: the Deployment goes last, after its dependents.
    expect(s.kubectl(['delete', 'deploy', 'fg', '-n', 'demo', '--cascade=foreground', '--timeout=30s']).code).toBe(0);
    expect(rsOf('fg')).toBe('');
    expect(podsOf('fg')).toBe('');
    // Orphan: the ReplicaSet stays, without its owner reference.
    expect(s.kubectl(['delete', 'deploy', 'orph', '-n', 'demo', '--cascade=orphan', '--timeout=30s']).code).toBe(0);
    const rs = rsOf('orph');
    expect(rs).toMatch(/^replicaset\.apps\/orph-/);
    await waitUntil(() => !JSON.parse(s.kubectl(['get', rs, '-n', 'demo', '-o', 'json']).stdout).metadata.ownerReferences);
    expect(podsOf('orph')).not.toBe('');
    const dry = s.kubectl(['delete', 'pod', 'waiter', '-n', 'demo', '--dry-run=server']);
    expect(dry.stdout).toBe('pod "waiter" deleted (server dry run)\n');
    expect(s.kubectl(['get', 'pod', 'waiter', '-n', 'demo']).code).toBe(0);
  });

  it('delete waits for finalizers, and returns once they are gone', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, namespace: demo, finalizers: [skiff.io/e2e]}\n';
    expect(s.kubectl(['apply', '-f', '-'], { input: cm }).stderr).toBe('');
    const del = s.kubectlSpawn(['delete', 'cm', 'held', '-n', 'demo', '--timeout=30s']);
    const exited = new Promise<number | null>((resolve) => del.on('exit', resolve));
    // kubectl prints "deleted" when the DELETE is accepted, then waits for the object to go.
    await waitForOutput(del, /^configmap "held" deleted$/m);
    expect(get(['cm', 'held', '-n', 'demo']).metadata.deletionTimestamp).toBeTruthy();
    expect(del.exitCode).toBeNull();
    expect(s.kubectl(['patch', 'cm', 'held', '-n', 'demo', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']).code).toBe(0);
    expect(await exited).toBe(0);
    expect(s.kubectl(['get', 'cm', 'held', '-n', 'demo']).code).toBe(1);
  });

  it('manages cluster-scoped objects and prints node columns', () => {
    expect(s.kubectl(['create', '-f', '-'], { input: node('n1') }).stdout).toBe('node/n1 created\n');
    const out = s.kubectl(['get', 'nodes']).stdout;
    expect(out).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m);
    expect(out).toMatch(/^n1\s+Unknown\s+control-plane\s+/m);
    expect(s.kubectl(['cordon', 'n1']).stdout).toBe('node/n1 cordoned\n');
    expect(s.kubectl(['get', 'nodes']).stdout).toMatch(/^n1\s+Unknown,SchedulingDisabled\s/m);
  });

  it('answers 401 to a wrong token and to an anonymous client', async () => {
    const empty = join(s.dir, 'empty.kubeconfig');
    writeFileSync(empty, 'apiVersion: v1\nkind: Config\n');
    const r = s.kubectl(['get', 'pods', '--server', `https://127.0.0.1:${s.port}`, '--insecure-skip-tls-verify', '--kubeconfig', empty, '--token', 'not-a-token']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
    // kubectl prompts for a password when it has no credentials at all, so anonymous goes raw.
    const anon = await new Promise<{ code?: number; body: string }>((resolve, reject) => {
      https.get(`https://127.0.0.1:${s.port}/api/v1/pods`, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ code: res.statusCode, body }));
      }).on('error', reject);
    });
    expect(anon.code).toBe(401);
    expect(JSON.parse(anon.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
  });
});
