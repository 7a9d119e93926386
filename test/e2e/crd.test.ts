import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { tableRows } from './fixtures.ts';

// The CronTab of upstream's CRD walkthrough, with everything kubectl users lean on.
const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: What the cron job runs and how often.
            required: [cronSpec]
            properties:
              cronSpec:
                type: string
                description: The schedule, in cron format.
                pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
              image:
                type: string
              replicas:
                type: integer
                minimum: 0
                default: 1
          status:
            type: object
            properties:
              replicas:
                type: integer
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    additionalPrinterColumns:
    - name: Spec
      type: string
      jsonPath: .spec.cronSpec
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Image
      type: string
      priority: 1
      jsonPath: .spec.image
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
`;

const cron = (name: string, spec: string) => `apiVersion: stable.example.com/v1
kind: CronTab
metadata:
  name: ${name}
spec:
${spec}`;

let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
});
afterAll(() => s?.stop());

/** kubectl's discovery cache outlives a CRD; a user would wait or clear it, the test clears it. */
const freshDiscovery = () => rmSync(join(s.dir, 'kube-cache'), { recursive: true, force: true });

describe.skipIf(!apiServed)(`kubectl with CustomResourceDefinitions${untilServed}`, () => {
  it('applies a CRD and waits for it to be established', () => {
    const r = s.kubectl(['apply', '-f', '-'], { input: crd });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n');
    const w = s.kubectl(['wait', '--for', 'condition=established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
    expect(w.stderr).toBe('');
    expect(w.stdout).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met\n');
    const rows = tableRows(s.kubectl(['get', 'crd']).stdout);
    expect(rows[0]).toEqual(['NAME', 'CREATED AT']);
    expect(rows[1][0]).toBe('crontabs.stable.example.com');
  });

  it('serves custom resources with the printer columns, short name and category', () => {
    const r = s.kubectl(['apply', '-f', '-'], { input: cron('my-cron', '  cronSpec: "* * * * */5"\n  image: my-cron-image\n') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('crontab.stable.example.com/my-cron created\n');
    const rows = tableRows(s.kubectl(['get', 'crontabs']).stdout);
    expect(rows[0]).toEqual(['NAME', 'SPEC', 'REPLICAS', 'AGE']);
    expect(rows[1].slice(0, 3)).toEqual(['my-cron', '* * * * */5', '1']);
    expect(rows[1][3]).toMatch(/^\d+s$/);
    const wide = tableRows(s.kubectl(['get', 'ct', '-o', 'wide']).stdout);
    expect(wide[0]).toEqual(['NAME', 'SPEC', 'REPLICAS', 'IMAGE', 'AGE']);
    expect(wide[1][3]).toBe('my-cron-image');
    expect(s.kubectl(['get', 'all', '-o', 'name']).stdout).toContain('crontab.stable.example.com/my-cron\n');
    const api = tableRows(s.kubectl(['api-resources', '--api-group', 'stable.example.com']).stdout);
    expect(api[1]).toEqual(['crontabs', 'ct', 'stable.example.com/v1', 'true', 'CronTab']);
    expect(s.kubectl(['get', 'ct', 'my-cron', '-o', 'jsonpath={.spec.replicas}']).stdout).toBe('1');
  });

  it('validates against the schema: a bad field is a 422 with its path', () => {
    const bad = s.kubectl(['apply', '-f', '-'], { input: cron('bad', '  cronSpec: "* * * * *"\n  image: 5\n') });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toBe('The CronTab "bad" is invalid: spec.image: Invalid value: "integer": spec.image in body must be of type string: "integer"\n');
    const two = s.kubectl(['apply', '-f', '-'], { input: cron('bad', '  cronSpec: nope\n  replicas: -1\n') });
    expect(two.stderr).toContain('The CronTab "bad" is invalid: \n* spec.cronSpec: Invalid value: "nope": spec.cronSpec in body should match');
    expect(two.stderr).toContain('\n* spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0\n');
    const unknown = s.kubectl(['apply', '-f', '-'], { input: cron('bad', '  cronSpec: "* * * * *"\n  colour: red\n') });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('strict decoding error: unknown field "spec.colour"');
    expect(s.kubectl(['get', 'ct', 'bad']).code).not.toBe(0);
  });

  it('scales through the scale subresource', () => {
    const r = s.kubectl(['scale', 'crontab/my-cron', '--replicas=3']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('crontab.stable.example.com/my-cron scaled\n');
    expect(s.kubectl(['get', 'ct', 'my-cron', '-o', 'jsonpath={.spec.replicas}']).stdout).toBe('3');
    expect(s.kubectl(['patch', 'ct', 'my-cron', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":3}}']).code).toBe(0);
    expect(JSON.parse(s.kubectl(['get', '--raw', '/apis/stable.example.com/v1/namespaces/default/crontabs/my-cron/scale']).stdout)).toMatchObject({ kind: 'Scale', spec: { replicas: 3 }, status: { replicas: 3 } });
  });

  it('explains the kind from its schema', () => {
    const r = s.kubectl(['explain', 'crontabs.spec']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('KIND:       CronTab');
    expect(r.stdout).toMatch(/cronSpec\s+<string> -required-/);
    expect(r.stdout).toContain('The schedule, in cron format.');
  });

  it('keeps CRDs and their resources across a restart', async () => {
    await s.stop({ keep: true });
    s = await startServer([], { dir: s.dir });
    expect(s.kubectl(['get', 'ct', 'my-cron', '-o', 'jsonpath={.spec.replicas}']).stdout).toBe('3');
  });

  it('deletes the custom resources with the CRD and drops the type', () => {
    const r = s.kubectl(['delete', 'crd', 'crontabs.stable.example.com', '--timeout=60s']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted\n');
    expect(s.kubectl(['get', '--raw', '/apis/stable.example.com/v1/namespaces/default/crontabs']).code).not.toBe(0);
    freshDiscovery();
    const gone = s.kubectl(['get', 'crontabs']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('error: the server doesn\'t have a resource type "crontabs"');
    // Re-created, the type starts empty: the old objects went with the old CRD.
    expect(s.kubectl(['apply', '-f', '-'], { input: crd }).code).toBe(0);
    expect(s.kubectl(['wait', '--for', 'condition=established', 'crd/crontabs.stable.example.com', '--timeout=30s']).code).toBe(0);
    freshDiscovery();
    const empty = s.kubectl(['get', 'crontabs']);
    expect(empty.stderr).toBe('No resources found in default namespace.\n');
  });
});
