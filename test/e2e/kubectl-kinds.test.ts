import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { allKindsManifest, kinds } from './all-kinds.ts';
import { tableRows } from './fixtures.ts';

let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
});
afterAll(() => s?.stop());

const nsArgs = (namespaced: boolean) => (namespaced ? ['-n', 'kinds'] : []);

describe.skipIf(!apiServed)(`kubectl against skiff server: every kind${untilServed}`, () => {
  it('applies one object of every kind, and re-applies with nothing changed', () => {
    const first = s.kubectl(['apply', '-f', '-'], { input: allKindsManifest });
    expect(first.stderr).toBe('');
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(kinds.length);
    for (const l of lines) expect(l).toMatch(/ created$/);
    const again = s.kubectl(['apply', '-f', '-'], { input: allKindsManifest });
    expect(again.stderr).toBe('');
    // As upstream, some kinds always come back "configured": a Secret's stringData is folded into
    // data and never stored, so the three-way diff always finds it missing; a PDB's selector has
    // patchStrategy=replace, whose diff is never empty; Endpoints ports and LimitRange limits are
    // atomic lists that the server defaults (protocol, defaultRequest), so kubectl re-sends them.
    const alwaysSent = /^(secret\/|poddisruptionbudget\.policy\/|endpoints\/|limitrange\/)/;
    for (const l of again.stdout.trim().split('\n')) expect(l).toMatch(alwaysSent.test(l) ? / configured$/ : / unchanged$/);
  });

  it('gets and describes every kind', () => {
    for (const [resource, name, namespaced] of kinds) {
      const g = s.kubectl(['get', resource, name, ...nsArgs(namespaced)]);
      expect(g.stderr, resource).toBe('');
      // Events print LAST SEEN first, as upstream; their name is in the yaml.
      if (resource.startsWith('events.')) expect(s.kubectl(['get', resource, name, ...nsArgs(namespaced), '-o', 'name']).stdout).toBe(`event.events.k8s.io/${name}\n`);
      else expect(tableRows(g.stdout)[1]?.[0], resource).toBe(name);
      const d = s.kubectl(['describe', resource, name, ...nsArgs(namespaced)]);
      expect(d.stderr, resource).toBe('');
      expect(d.stdout, resource).toMatch(new RegExp(`^Name:\\s+${name.replace('.', '\\.')}$`, 'm'));
    }
  });

  it('replaces every kind from its own yaml', () => {
    for (const [resource, name, namespaced] of kinds) {
      const yaml = s.kubectl(['get', resource, name, ...nsArgs(namespaced), '-o', 'yaml']).stdout;
      const r = s.kubectl(['replace', '-f', '-'], { input: yaml });
      expect(r.stderr, resource).toBe('');
      expect(r.stdout, resource).toMatch(/ replaced$/m);
    }
  });

  it('prints upstream columns for workload and policy kinds', () => {
    const header = (resource: string) => tableRows(s.kubectl(['get', resource, '-n', 'kinds']).stdout)[0];
    expect(header('jobs')).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(header('cronjobs')).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(header('statefulsets')).toEqual(['NAME', 'READY', 'AGE']);
    expect(header('daemonsets')).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
    expect(header('replicasets')).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(header('pvc')).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(header('pdb')).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    expect(header('ingress')).toEqual(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    expect(header('secrets')).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(tableRows(s.kubectl(['get', 'secrets', '-n', 'kinds']).stdout)).toContainEqual(['creds', 'Opaque', '1', expect.any(String)]);
    expect(tableRows(s.kubectl(['get', 'cronjobs', '-n', 'kinds']).stdout)[1]).toEqual(['nightly', '0 3 * * *', '<none>', 'False', '0', '<none>', expect.any(String)]);
    const svc = tableRows(s.kubectl(['get', 'svc', 'api', '-n', 'kinds']).stdout);
    expect(svc[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(svc[1]?.[1]).toBe('NodePort');
  });

  it('describes with the details upstream prints', () => {
    expect(s.kubectl(['describe', 'secret', 'creds', '-n', 'kinds']).stdout).toMatch(/^password:\s+6 bytes$/m);
    expect(s.kubectl(['describe', 'pod', 'solo', '-n', 'kinds']).stdout).toMatch(/^\s+Requests:\n\s+cpu:\s+100m\n\s+memory:\s+64Mi$/m);
    expect(s.kubectl(['describe', 'role', 'reader', '-n', 'kinds']).stdout).toMatch(/^\s+pods\s+\[\]\s+\[\]\s+\[get list\]$/m);
    expect(s.kubectl(['describe', 'ingress', 'web', '-n', 'kinds']).stdout).toMatch(/^\s+web\.example\.com\s*$/m);
  });

  it('deletes everything from the same file, the namespace through Terminating', async () => {
    // The namespace goes first (first in the file) and its controller may empty it before kubectl
    // reaches the objects inside: those are already gone, as on upstream.
    const r = s.kubectl(['delete', '-f', '-', '--wait=false', '--ignore-not-found'], { input: allKindsManifest });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^namespace "kinds" deleted$/m);
    for (const [resource, name, namespaced] of kinds) {
      if (!namespaced && resource !== 'namespace') expect(s.kubectl(['get', resource, name]).code, resource).toBe(1);
    }
    // The namespace controller empties it, then it goes.
    const ns = s.kubectl(['get', 'ns', 'kinds', '-o', 'jsonpath={.status.phase}']);
    expect(['Terminating', '']).toContain(ns.stdout);
    const gone = s.kubectl(['wait', '--for=delete', 'ns/kinds', '--timeout=60s']);
    expect(gone.code).toBe(0);
    expect(s.kubectl(['get', 'all', '-n', 'kinds', '-o', 'name']).stdout).toBe('');
  });
});
