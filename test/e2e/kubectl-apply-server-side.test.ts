import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';

let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
  s.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ssa\n' });
});
afterAll(() => s?.stop());

const get = (args: string[]) => JSON.parse(s.kubectl(['get', ...args, '-n', 'ssa', '-o', 'json', '--show-managed-fields']).stdout);
// Appliers only (the deployment controller's status writes come and go), by name: entries are
// ordered by time, which depends on how fast the test runs.
const managers = (o: { metadata: { managedFields?: Array<{ manager: string; operation: string }> } }) =>
  (o.metadata.managedFields ?? []).filter((e) => e.operation === 'Apply').map((e) => `${e.manager}/${e.operation}`).sort();

const web = ({ replicas = 2, env = ['A', 'B'] }: { replicas?: number | null; env?: string[] } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ssa
  labels:
    app: web
spec:
${replicas === null ? '' : `  replicas: ${replicas}\n`}  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: skiff-test/busybox:latest
        env:
${env.map((n) => `        - name: ${n}\n          value: "${n.toLowerCase()}"\n`).join('')}`;

const replicasOnly = (n: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ssa
spec:
  replicas: ${n}
`;

describe.skipIf(!apiServed)(`kubectl apply --server-side against skiff${untilServed}`, () => {
  it('creates, re-applies without a write, and records the kubectl Apply entry', () => {
    const first = s.kubectl(['apply', '--server-side', '-f', '-'], { input: web() });
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('deployment.apps/web serverside-applied\n');
    const d = get(['deploy', 'web']);
    expect(managers(d)).toEqual(['kubectl/Apply']);
    expect(d.metadata.managedFields.find((e: { manager: string }) => e.manager === 'kubectl').fieldsV1['f:spec']['f:replicas']).toEqual({});
    // Defaults are the server's, owned by nobody.
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(JSON.stringify(d.metadata.managedFields)).not.toContain('revisionHistoryLimit');

    const again = s.kubectl(['apply', '--server-side', '-f', '-'], { input: web() });
    expect(again.stdout).toBe('deployment.apps/web serverside-applied\n');
    // Unchanged: same generation, and kubectl's entry as it was (the controller may write status meanwhile).
    const after = get(['deploy', 'web']);
    expect(after.metadata.generation).toBe(1);
    expect(after.metadata.managedFields.find((e: { manager: string }) => e.manager === 'kubectl')).toEqual(d.metadata.managedFields.find((e: { manager: string }) => e.manager === 'kubectl'));
  });

  it('a second manager conflicts on a field kubectl owns, and takes it with --force-conflicts', () => {
    const conflict = s.kubectl(['apply', '--server-side', '--field-manager=ci', '-f', '-'], { input: replicasOnly(5) });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(conflict.stderr).toContain('--force-conflicts');
    expect(get(['deploy', 'web']).spec.replicas).toBe(2);

    const forced = s.kubectl(['apply', '--server-side', '--field-manager=ci', '--force-conflicts', '-f', '-'], { input: replicasOnly(5) });
    expect(forced.stderr).toBe('');
    expect(forced.stdout).toBe('deployment.apps/web serverside-applied\n');
    const d = get(['deploy', 'web']);
    expect(d.spec.replicas).toBe(5);
    expect(managers(d)).toEqual(['ci/Apply', 'kubectl/Apply']);
    expect(d.metadata.managedFields.find((e: { manager: string }) => e.manager === 'ci').fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(JSON.stringify(d.metadata.managedFields.find((e: { manager: string }) => e.manager === 'kubectl').fieldsV1)).not.toContain('f:replicas');
  });

  it('removes fields kubectl stops applying, keeps those another manager owns', () => {
    const r = s.kubectl(['apply', '--server-side', '-f', '-'], { input: web({ replicas: null, env: ['A'] }) });
    expect(r.stderr).toBe('');
    const d = get(['deploy', 'web']);
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: 'a' }]);
    expect(d.spec.replicas).toBe(5);
    expect(d.metadata.generation).toBe(3);
  });

  it('upgrades an object made by client-side apply without conflicts', () => {
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: ssa\ndata:\n  mode: ${v}\n`;
    expect(s.kubectl(['apply', '-f', '-'], { input: cm('slow') }).stdout).toBe('configmap/cfg created\n');
    const up = s.kubectl(['apply', '--server-side', '-f', '-'], { input: cm('fast') });
    expect(up.stderr).toBe('');
    expect(up.stdout).toBe('configmap/cfg serverside-applied\n');
    const c = get(['cm', 'cfg']);
    expect(c.data).toEqual({ mode: 'fast' });
    expect(managers(c)).toContain('kubectl/Apply');
    expect(JSON.parse(c.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).data).toEqual({ mode: 'fast' });
  });

  it('--dry-run=server creates, applies and deletes nothing', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n  namespace: ssa\ndata:\n  a: "1"\n';
    expect(s.kubectl(['create', '--dry-run=server', '-f', '-'], { input: cm }).stdout).toBe('configmap/dry created (server dry run)\n');
    expect(s.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: cm }).stdout).toBe('configmap/dry serverside-applied (server dry run)\n');
    expect(s.kubectl(['apply', '--dry-run=server', '-f', '-'], { input: cm }).stdout).toBe('configmap/dry created (server dry run)\n');
    expect(s.kubectl(['get', 'cm', 'dry', '-n', 'ssa']).stderr).toBe('Error from server (NotFound): configmaps "dry" not found\n');

    const before = get(['deploy', 'web']);
    expect(s.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: web({ replicas: null, env: ['A', 'C'] }) }).stdout).toBe('deployment.apps/web serverside-applied (server dry run)\n');
    expect(s.kubectl(['delete', 'deploy', 'web', '-n', 'ssa', '--dry-run=server']).stdout).toBe('deployment.apps "web" deleted (server dry run)\n');
    const d = get(['deploy', 'web']);
    expect(d.metadata.generation).toBe(before.metadata.generation);
    expect(d.metadata.managedFields.filter((e: { operation: string }) => e.operation === 'Apply')).toEqual(before.metadata.managedFields.filter((e: { operation: string }) => e.operation === 'Apply'));
    expect(d.metadata.deletionTimestamp).toBeUndefined();
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: 'a' }]);
  });

  it('kubectl diff shows what an apply would change, through server dry run', () => {
    const changed = web({ replicas: null, env: ['A'] }).replace('value: "a"', 'value: "changed"');
    for (const extra of [[], ['--server-side', '--force-conflicts']]) {
      const d = s.kubectl(['diff', ...extra, '-f', '-'], { input: changed });
      expect(d.code, d.stderr).toBe(1);
      expect(d.stdout).toContain('-          value: a');
      expect(d.stdout).toContain('+          value: changed');
      expect(d.stdout).not.toContain('replicas');
    }
    // The same configuration: nothing in spec differs (status may move meanwhile: the controller runs).
    const same = s.kubectl(['diff', '--server-side', '-f', '-'], { input: web({ replicas: null, env: ['A'] }) });
    expect(same.stderr).toBe('');
    expect(same.stdout).not.toMatch(/^[-+]\s+(-\s)?(name|value|image|replicas|generation):/m);
    expect(get(['deploy', 'web']).spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: 'a' }]);
  });

  it('--validate=warn stores the object and prints the server\'s warning', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: warned\n  namespace: ssa\nbogus: 1\n';
    const r = s.kubectl(['create', '--validate=warn', '-f', '-'], { input: cm });
    expect(r.stdout).toBe('configmap/warned created\n');
    expect(r.stderr).toBe('Warning: unknown field "bogus"\n');
    expect(get(['cm', 'warned'])).not.toHaveProperty('bogus');
  });

  it('--validate=strict refuses unknown fields; server-side apply always does', () => {
    const bogus = web().replace('  selector:', '  foo: 1\n  selector:').replace('name: web\n  namespace', 'name: strict\n  namespace');
    const created = s.kubectl(['create', '--validate=strict', '-f', '-'], { input: bogus });
    expect(created.code).toBe(1);
    expect(created.stderr).toBe('Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"\n');
    const applied = s.kubectl(['apply', '--server-side', '--validate=false', '-f', '-'], { input: bogus });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('failed to create typed patch object (ssa/strict; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema');
    expect(s.kubectl(['get', 'deploy', 'strict', '-n', 'ssa']).code).toBe(1);
  });
});
