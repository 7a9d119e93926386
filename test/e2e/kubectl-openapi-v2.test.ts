// kubectl with the protobuf /openapi/v2: create-only kinds (no PATCH, so kubectl cannot learn from
// /openapi/v3 that the server validates) are validated client-side against the v2 schemas, as
// against upstream; client-side apply of built-in kinds builds its strategic merge patch from
// the v2 schemas' patch strategies and merge keys; custom resources still get a merge patch.
import { dump, loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allKindsManifest } from './all-kinds.ts';
import { startServer, type TestServer } from './harness.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s?.stop());

const create = (yaml: string, extra: string[] = []) => s.kubectl(['create', '-f', '-', ...extra], { input: yaml });

describe('kubectl and the protobuf /openapi/v2', () => {
  it('create -f of review kinds passes default (strict) validation', () => {
    const ssar = create('apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec: {resourceAttributes: {verb: get, resource: pods}}\n', ['-o', 'jsonpath={.status.allowed}']);
    expect(ssar).toMatchObject({ code: 0, stdout: 'true', stderr: '' });
    const tr = create('apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec: {token: not-a-token}\n', ['-o', 'jsonpath={.status.authenticated}/{.status.error}']);
    expect(tr.code).toBe(0);
    expect(tr.stderr).toBe('');
    expect(tr.stdout).toMatch(/^(false)?\/.+/);
  });

  it('an unknown field in a review fails kubectl\'s client-side validation, worded by kubectl', () => {
    const r = create('apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec: {resourceAttributes: {verb: get, resource: pods, bogus: x}}\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: error validating "STDIN": error validating data: ValidationError(SelfSubjectAccessReview.spec.resourceAttributes): '
      + 'unknown field "bogus" in io.k8s.api.authorization.v1.ResourceAttributes; if you choose to ignore these errors, turn validation off with --validate=false\n');
    const typed = create('apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec: {token: [a]}\n');
    expect(typed.code).toBe(1);
    expect(typed.stderr).toContain('ValidationError(TokenReview.spec.token): invalid type for io.k8s.api.authentication.v1.TokenReviewSpec.token: got "array", expected "string"');
  });

  it('custom resource schemas of every shape keep the v2 document readable by kubectl', () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.v2.skiff.test}
spec:
  group: v2.skiff.test
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
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
            title: The gadget
            required: [size]
            maxProperties: 20
            properties:
              size: {type: integer, minimum: 1, maximum: 10, exclusiveMaximum: true, multipleOf: 1, default: 2}
              ratio: {type: number, format: double, minimum: -0.5}
              name: {type: string, minLength: 1, maxLength: 63, pattern: '^[a-z]+$', enum: [a, bb, ccc]}
              maybe: {type: object, nullable: true, properties: {a: {type: string}}}
              port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
              free: {type: object, x-kubernetes-preserve-unknown-fields: true}
              raw: {x-kubernetes-preserve-unknown-fields: true, x-kubernetes-embedded-resource: true, type: object}
              labels: {type: object, additionalProperties: {type: string}}
              items:
                type: array
                maxItems: 5
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items: {type: object, required: [name], properties: {name: {type: string}, n: {type: integer, format: int64}}}
              tags: {type: array, items: {type: string}, x-kubernetes-list-type: set}
              stamp: {type: string, format: date-time, example: '2026-01-01T00:00:00Z'}
              choice: {type: string, oneOf: [{pattern: '^a'}, {pattern: '^b'}]}
`;
    const made = s.kubectl(['apply', '-f', '-'], { input: crd });
    expect(made.stderr).toBe('');
    expect(s.kubectl(['wait', '--for=condition=Established', 'crd/gadgets.v2.skiff.test']).code).toBe(0);
    // The review is validated against the whole v2 document, so this needs all of it to decode and parse.
    const ok = create('apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec: {resourceAttributes: {verb: get, resource: gadgets, group: v2.skiff.test}}\n', ['-o', 'jsonpath={.status.allowed}']);
    expect(ok).toMatchObject({ code: 0, stdout: 'true', stderr: '' });
    const bad = create('apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec: {nonResourceAttributes: {path: /x, verb: get, bogus: 1}}\n');
    expect(bad.stderr).toContain('ValidationError(SelfSubjectAccessReview.spec.nonResourceAttributes): unknown field "bogus" in io.k8s.api.authorization.v1.NonResourceAttributes');
    const explain = s.kubectl(['explain', 'gadgets.spec.items', '--output', 'plaintext-openapiv2']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(/name\s+<string> -required-/);
    const applied = s.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v2.skiff.test/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: 3, items: [{name: a}, {name: b}]}\n' });
    expect(applied.code).toBe(0);
    const again = s.kubectl(['apply', '-f', '-', '-v=9'], { input: 'apiVersion: v2.skiff.test/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: 3, items: [{name: a}]}\n' });
    expect(again.stdout).toBe('gadget.v2.skiff.test/g configured\n');
    expect(again.stderr).toContain('Content-Type: application/merge-patch+json');
  });

  it('client-side apply merges keyed lists of built-in kinds through the v2 schemas, quietly', () => {
    const deploy = (env: string, ports: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: skiff-test/busybox:latest
        env: [${env}]
        ports: [${ports}]
`;
    expect(s.kubectl(['apply', '-f', '-'], { input: deploy('{name: A, value: "1"}, {name: B, value: "2"}', '{containerPort: 80}, {containerPort: 443}') }).code).toBe(0);
    // Someone else adds an env var; the next apply removes B and port 443 but keeps theirs.
    expect(s.kubectl(['set', 'env', 'deployment/web', 'C=3']).code).toBe(0);
    const again = s.kubectl(['apply', '-f', '-', '-v=6'], { input: deploy('{name: A, value: "1"}', '{containerPort: 80}') });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/GET https:\/\/[^ ]+\/openapi\/v2\?timeout=\w+ 200 OK/);
    expect(again.stderr).not.toContain('error calculating patch');
    expect(again.stdout).toBe('deployment.apps/web configured\n');
    const got = JSON.parse(s.kubectl(['get', 'deployment', 'web', '-o', 'json']).stdout);
    const c = got.spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('apply patches built from the v2 schemas equal those from kubectl\'s compiled-in types, for every kind', () => {
    // A Deployment switching strategy and volume source exercises retainKeys too.
    const retained = (strategy: string, volume: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: retained, namespace: kinds}
spec:
  selector: {matchLabels: {app: retained}}
  strategy: ${strategy}
  template:
    metadata: {labels: {app: retained}}
    spec:
      containers: [{name: c, image: busybox:1.36, volumeMounts: [{name: v, mountPath: /v}, {name: w, mountPath: /w}]}]
      volumes: [${volume}, {name: w, emptyDir: {}}]
`;
    expect(s.kubectl(['apply', '-f', '-'], { input: `${allKindsManifest}\n---\n${retained('{type: RollingUpdate, rollingUpdate: {maxSurge: 2}}', '{name: v, emptyDir: {}}')}` }).code).toBe(0);
    const edited = (loadAll(allKindsManifest) as Record<string, unknown>[]).map((o) => edit(o, true));
    const input = [...edited.map((o) => dump(o)), retained('{type: Recreate}', '{name: v, configMap: {name: cm}}')].join('---\n');
    const patches = (openapi: boolean) => {
      const r = s.kubectl(['apply', '-f', '-', '--dry-run=server', '-v=9', `--openapi-patch=${openapi}`], { input });
      // Some edits leave invalid objects: the server refuses those, after the patch was computed.
      expect(r.stderr).not.toContain('error calculating patch');
      // At -v=9 client-go logs every request body, quoted; only the PATCHes have one.
      return [...r.stderr.matchAll(/"Request Body" body="((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string).filter(Boolean);
    };
    const fromV2 = patches(true);


    expect(fromV2.some((p) => p.includes('$setElementOrder') || p.includes('"$patch":"delete"'))).toBe(true);
    expect(fromV2.some((p) => p.includes('"$retainKeys":["type"]') && p.includes('"$retainKeys":["configMap","name"]'))).toBe(true);
    expect(fromV2.length).toBeGreaterThan(20);
    expect(fromV2).toEqual(patches(false));
  });
});

/**
 * A user's edit of a manifest: a label more; every list of objects loses its last element, and
 * every element of such a list its last field (unless that is a likely merge key).
 */
const keys = new Set(['name', 'containerPort', 'port', 'type', 'ip', 'mountPath', 'devicePath', 'topologyKey', 'uid', 'key']);
function edit(v: unknown, top = false, inList = false): unknown {
  if (Array.isArray(v)) {
    const objects = v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
    const items = v.map((x) => edit(x, false, objects));
    return items.length > 1 && objects ? items.slice(0, -1) : items;
  }
  if (typeof v !== 'object' || v === null) return v;
  const entries = Object.entries(v).map(([k, x]) => [k, edit(x)] as const);
  const last = entries.at(-1);
  if (inList && entries.length > 1 && last && !keys.has(last[0])) entries.pop();
  const out: Record<string, unknown> = Object.fromEntries(entries);
  if (top) out.metadata = { ...(out.metadata as object), labels: { ...((out.metadata as { labels?: object }).labels ?? {}), edited: 'yes' } };
  return out;
}
