import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, waitForOutput, type TestServer } from './harness.ts';
import { demoManifests, tableRows } from './fixtures.ts';

let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
  const r = s.kubectl(['apply', '-f', '-'], { input: demoManifests });
  expect(r.stderr).toBe('');
  // The controllers make the ReplicaSet and its pods (no agent here: they stay Pending).
  const w = s.kubectl(['wait', '--for=jsonpath={.status.updatedReplicas}=2', 'deploy/web', '-n', 'demo', '--timeout=30s']);
  expect(w.stderr).toBe('');
});
afterAll(() => s?.stop());

describe.skipIf(!apiServed)(`kubectl against skiff server: reading${untilServed}`, () => {
  it('version reports the server as 1.32', () => {
    const r = s.kubectl(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Server Version: v1\.32\.\d+\+skiff/m);
  });

  it('api-resources lists the served kinds with short names', () => {
    const r = s.kubectl(['api-resources']);
    expect(r.code).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    expect(rows).toContainEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(rows).toContainEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(rows).toContainEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(rows).toContainEqual(['leases', 'coordination.k8s.io/v1', 'true', 'Lease']);
  });

  it('has the system namespaces from the first start', () => {
    const rows = tableRows(s.kubectl(['get', 'ns']).stdout);
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'AGE']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'demo'])
      expect(rows.find((r) => r[0] === ns)?.[1]).toBe('Active');
  });

  it('prints upstream columns, and more with -o wide', () => {
    const rows = tableRows(s.kubectl(['get', 'deploy', '-n', 'demo']).stdout);
    expect(rows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(rows[1].slice(0, 4)).toEqual(['web', '0/2', '2', '0']);
    const wide = tableRows(s.kubectl(['get', 'deploy', '-n', 'demo', '-o', 'wide']).stdout);
    expect(wide[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(wide[1].slice(5)).toEqual(['nginx', 'nginx:1.27', 'app=web']);
    const svc = tableRows(s.kubectl(['get', 'svc', 'web', '-n', 'demo']).stdout);
    expect(svc[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(svc[1][1]).toBe('ClusterIP');
    expect(svc[1][4]).toBe('80/TCP');
    const cm = tableRows(s.kubectl(['get', 'cm', 'cfg', '-n', 'demo']).stdout);
    expect(cm[0]).toEqual(['NAME', 'DATA', 'AGE']);
    expect(cm[1].slice(0, 2)).toEqual(['cfg', '1']);
  });

  it('prints yaml and json with defaults applied', () => {
    const y = s.kubectl(['get', 'deploy', 'web', '-n', 'demo', '-o', 'yaml']).stdout;
    expect(y).toMatch(/^kind: Deployment$/m);
    expect(y).toContain('revisionHistoryLimit: 10');
    expect(y).toContain('progressDeadlineSeconds: 600');
    expect(y).toContain('imagePullPolicy: IfNotPresent');
    expect(y).toMatch(/resourceVersion: "\d+"/);
    const j = JSON.parse(s.kubectl(['get', 'svc', 'web', '-n', 'demo', '-o', 'json']).stdout);
    expect(j.spec.ports[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 80 });
    expect(j.spec.sessionAffinity).toBe('None');
    expect(j.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('prints names, jsonpath and custom columns', () => {
    // Every namespace also holds kube-root-ca.crt, published by the root CA controller as upstream.
    expect(s.kubectl(['get', 'deploy,cm', '-n', 'demo', '-o', 'name']).stdout).toBe('deployment.apps/web\nconfigmap/cfg\nconfigmap/kube-root-ca.crt\n');
    expect(s.kubectl(['get', 'deploy', 'web', '-n', 'demo', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].name}']).stdout).toBe('2 nginx');
    const rows = tableRows(s.kubectl(['get', 'deploy', '-n', 'demo', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas']).stdout);
    expect(rows).toEqual([['NAME', 'REPLICAS'], ['web', '2']]);
  });

  it('filters by label and field selectors', () => {
    expect(s.kubectl(['get', 'cm', '-n', 'demo', '-l', 'tier=config', '-o', 'name']).stdout).toBe('configmap/cfg\n');
    expect(s.kubectl(['get', 'cm', '-n', 'demo', '-l', 'tier in (nope)', '-o', 'name']).stdout).toBe('');
    expect(s.kubectl(['get', 'cm', '-n', 'demo', '--field-selector', 'metadata.name=cfg', '-o', 'name']).stdout).toBe('configmap/cfg\n');
    const bad = s.kubectl(['get', 'pods', '--field-selector', 'spec.bogus=x']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Error from server (BadRequest)');
    expect(bad.stderr).toContain('field label not supported: spec.bogus');
  });

  it('lists across namespaces, sorts, and shows labels', () => {
    const all = tableRows(s.kubectl(['get', 'cm', '-A']).stdout);
    expect(all[0]).toEqual(['NAMESPACE', 'NAME', 'DATA', 'AGE']);
    expect(all.some((r) => r[0] === 'demo' && r[1] === 'cfg')).toBe(true);
    expect(s.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aaa\n  namespace: demo\n' }).code).toBe(0);
    const sorted = tableRows(s.kubectl(['get', 'cm', '-n', 'demo', '--sort-by', '.metadata.name']).stdout).map((r) => r[0]);
    expect(sorted.slice(1)).toEqual([...sorted.slice(1)].sort());
    const labels = tableRows(s.kubectl(['get', 'cm', 'cfg', '-n', 'demo', '--show-labels']).stdout);
    expect(labels[0]).toEqual(['NAME', 'DATA', 'AGE', 'LABELS']);
    expect(labels[1][3]).toBe('app=web,tier=config');
  });

  it('says when nothing is found, and when a thing does not exist', () => {
    const none = s.kubectl(['get', 'pods', '-n', 'empty-ns']);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('No resources found in empty-ns namespace.\n');
    const missing = s.kubectl(['get', 'deploy', 'nope', '-n', 'demo']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it('get all covers the "all" category', () => {
    const out = s.kubectl(['get', 'all', '-n', 'demo']).stdout;
    expect(out).toContain('service/web');
    expect(out).toContain('deployment.apps/web');
  });

  it('get -w prints changes as they happen', async () => {
    const w = s.kubectlSpawn(['get', 'cm', '-n', 'demo', '-w']);
    try {
      await waitForOutput(w, /^cfg\s/m);
      // `kubectl create configmap` sends protobuf, which is API part 2; apply sends JSON.
      const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched, namespace: demo}\ndata: {a: b}\n';
      expect(s.kubectl(['apply', '-f', '-'], { input: cm }).stderr).toBe('');
      await waitForOutput(w, /^watched\s+1\s/m);
    } finally {
      w.kill();
    }
  });

  it('explain prints field documentation', () => {
    const r = s.kubectl(['explain', 'pod.spec.containers']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KIND:\s+Pod$/m);
    expect(r.stdout).toMatch(/^FIELD:\s+containers <\[\]Container>$/m);
    expect(r.stdout).toMatch(/^DESCRIPTION:$/m);
    expect(r.stdout).toMatch(/^\s+image\s+<string>$/m);
  });

  it('describe prints the main kinds', () => {
    const d = s.kubectl(['describe', 'deployment', 'web', '-n', 'demo']);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^Name:\s+web$/m);
    expect(d.stdout).toMatch(/^Replicas:\s+2 desired \| 2 updated \| 2 total \| 0 available \| 2 unavailable$/m);
    expect(d.stdout).toMatch(/^NewReplicaSet:\s+web-[a-z0-9]+ \(2\/2 replicas created\)$/m);
    expect(d.stdout).toMatch(/ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-[a-z0-9]+ from 0 to 2/);
    expect(d.stdout).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    const svc = s.kubectl(['describe', 'service', 'web', '-n', 'demo']);
    expect(svc.stdout).toMatch(/^Type:\s+ClusterIP$/m);
    expect(svc.stdout).toMatch(/^Port:\s+<unset>\s+80\/TCP$/m);
    const cm = s.kubectl(['describe', 'configmap', 'cfg', '-n', 'demo']);
    expect(cm.stdout).toMatch(/^greeting:\n----\nhello$/m);
    const ns = s.kubectl(['describe', 'namespace', 'demo']);
    expect(ns.stdout).toMatch(/^Status:\s+Active$/m);
  });
});
