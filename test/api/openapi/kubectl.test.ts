import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExplainServer } from './explain-server.ts';
import { resourceTable } from './fixtures.ts';

// The real kubectl against the generated documents, over plain HTTP (explain and client-side
// dry runs need no credentials). /usr/bin/kubectl dispatches to 1.32 from /version.
const kubectlBin = process.env.SKIFF_TEST_KUBECTL ?? '/usr/bin/kubectl';

describe.skipIf(!existsSync(kubectlBin))('OpenAPI documents with the real kubectl', () => {
  let server: Awaited<ReturnType<typeof startExplainServer>>;
  let dir: string;

  beforeAll(async () => {
    server = await startExplainServer(resourceTable);
    dir = mkdtempSync(join(tmpdir(), 'skiff-openapi-'));
    writeFileSync(join(dir, 'config'), '');
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const kubectl = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = { ...process.env, KUBECONFIG: join(dir, 'config') };
      execFile(kubectlBin, ['--server', server.url, '--cache-dir', join(dir, 'cache'), ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  it('explain pod.spec.containers prints the container docs', async () => {
    const r = await kubectl('explain', 'pod.spec.containers');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('KIND:       Pod');
    expect(r.stdout).toContain('FIELD: containers <[]Container>');
    expect(r.stdout).toContain("The pod's application containers; at least one is required.");
    expect(r.stdout).toContain('One application container run inside a pod.');
    expect(r.stdout).toMatch(/image\t<string>\n\s+Image reference to run, such as nginx:1\.27\./);
    expect(r.stdout).toMatch(/name\t<string> -required-/);
    expect(r.stdout).toMatch(/imagePullPolicy\t<string>\n\s+enum: Always, Never, IfNotPresent/);
  });

  it('explain deployment.spec.strategy prints the strategy docs', async () => {
    const r = await kubectl('explain', 'deployment.spec.strategy');
    expect(r.stdout).toContain('GROUP:      apps');
    expect(r.stdout).toContain('FIELD: strategy <DeploymentStrategy>');
    expect(r.stdout).toContain('How a deployment replaces pods.');
    expect(r.stdout).toMatch(/rollingUpdate\t<RollingUpdateDeployment>\n\s+Rolling update settings; only with type RollingUpdate\./);
  });

  it('explain resolves every reference of a kind (--recursive) and other group versions', async () => {
    const pods = await kubectl('explain', 'pods', '--recursive');
    expect(pods.code).toBe(0);
    expect(pods.stdout).toContain('topologySpreadConstraints\t<[]TopologySpreadConstraint>');
    const hpa = await kubectl('explain', 'hpa.spec.metrics', '--api-version=autoscaling/v2');
    expect(hpa.stdout).toContain('One metric to scale on; type names which other member is set.');
    const qty = await kubectl('explain', 'pod.spec.containers.resources.limits');
    expect(qty.stdout).toContain('FIELD: limits <map[string]Quantity>');
  });

  it('create -f trusts server-side validation: it reads /openapi/v3 and never needs /openapi/v2', async () => {
    const manifest = join(dir, 'm.yaml');
    writeFileSync(manifest, [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}',
      'spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}}',
      '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}', 'data: {a: b}', '',
    ].join('\n'));
    server.requests.length = 0;
    const r = await kubectl('create', '-f', manifest, '--dry-run=client', '-o', 'name');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/web\nconfigmap/c\n');
    expect(server.requests.some((q) => q.startsWith('GET /openapi/v3/apis/apps/v1?hash='))).toBe(true);
    expect(server.requests.some((q) => q.startsWith('GET /openapi/v2'))).toBe(false);
  });
});
