import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { demoManifests } from './fixtures.ts';

let s: TestServer | undefined;
afterAll(() => s?.stop());

describe.skipIf(!apiServed)(`skiff server restarts${untilServed}`, () => {
  it('keeps objects, identity and credentials across a restart', async () => {
    s = await startServer();
    expect(s.kubectl(['apply', '-f', '-'], { input: demoManifests }).stderr).toBe('');
    const before = JSON.parse(s.kubectl(['get', 'deploy', 'web', '-n', 'demo', '-o', 'json']).stdout);
    const ca = readFileSync(join(s.dir, 'data', 'server', 'tls', 'ca.crt'), 'utf8');
    await s.stop({ keep: true });

    // The kubeconfig written by the first run must still work: same CA, same admin identity.
    s = await startServer([], { dir: s.dir });
    expect(readFileSync(join(s.dir, 'data', 'server', 'tls', 'ca.crt'), 'utf8')).toBe(ca);
    const after = JSON.parse(s.kubectl(['get', 'deploy', 'web', '-n', 'demo', '-o', 'json']).stdout);
    expect(after.metadata).toMatchObject({ uid: before.metadata.uid, resourceVersion: before.metadata.resourceVersion, generation: 1 });
    expect(s.kubectl(['get', 'ns', '-o', 'name']).stdout).toBe('namespace/default\nnamespace/demo\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n');
    // Writes continue from the stored revision.
    expect(s.kubectl(['scale', 'deploy', 'web', '-n', 'demo', '--replicas', '3']).code).toBe(0);
    const scaled = JSON.parse(s.kubectl(['get', 'deploy', 'web', '-n', 'demo', '-o', 'json']).stdout);
    expect(Number(scaled.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
  });
});
