import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, repoRoot, runSkiff, skiffFromSource, waitForStderr } from '../helpers/cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'skiff-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('skiff', () => {
  it('lists its commands', async () => {
    const r = await runSkiff(['help']);
    expect(r.code).toBe(0);
    for (const c of ['server', 'agent', 'dashboard', 'version', 'help']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('prints per-command help with flags and their environment variables', async () => {
    const r = await runSkiff(['server', '--help']);
    expect(r.code).toBe(0);
    for (const f of ['--data-dir', '--https-listen-port N', '--bind-address', '--write-kubeconfig', '--node-name', '--disable-agent', '--log-level'])
      expect(r.stdout).toContain(f);
    expect(r.stdout).toContain('SKIFF_HTTPS_LISTEN_PORT');
  });

  it('prints the versions', async () => {
    const r = await runSkiff(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^skiff version v\d+\.\d+\.\d+/);
    expect(r.stdout).toContain('kubernetes v1.32.');
  });

  it('rejects an unknown command with one line and exit code 2', async () => {
    const r = await runSkiff(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('skiff: unknown command "frobnicate" (see \'skiff help\')\n');
  });

  it('rejects an unknown flag with one line and exit code 2', async () => {
    const r = await runSkiff(['server', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('skiff: server: unknown flag: --no-such-flag (see \'skiff help\')\n');
  });

  it('rejects a bad flag value from the environment', async () => {
    const r = await runSkiff(['server'], { env: { SKIFF_HTTPS_LISTEN_PORT: 'x' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SKIFF_HTTPS_LISTEN_PORT: "x" is not a number');
  });
});

describe('skiff store', () => {
  it('writes and reads keys in a data dir, across processes', async () => {
    const d = join(tmp, 'store');
    const put = await runSkiff(['store', 'put', '--data-dir', d, '/registry/test/a', 'hello']);
    expect(put.stderr).toBe('');
    expect(Number(put.stdout)).toBeGreaterThan(0);
    const get = await runSkiff(['store', 'get', '--data-dir', d, '/registry/test/a']);
    expect(get.stdout).toBe('hello\n');
    const list = await runSkiff(['store', 'list', '--data-dir', d, '/registry/']);
    expect(list.stdout).toBe(`/registry/test/a\t${Number(put.stdout)}\n`);
  });

  it('says when a key or a store is missing', async () => {
    expect((await runSkiff(['store', 'get', '--data-dir', join(tmp, 'none'), '/x'])).stderr).toMatch(/^skiff store: no store at /);
    await runSkiff(['store', 'put', '--data-dir', join(tmp, 's2'), '/a', '1']);
    const r = await runSkiff(['store', 'get', '--data-dir', join(tmp, 's2'), '/b']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('skiff store: key "/b" not found\n');
  });
});

describe('skiff server', () => {
  it('starts, and stops cleanly on SIGTERM', async () => {
    const [cmd, argv] = skiffFromSource(['server', '--data-dir', join(tmp, 'server'), '--disable-agent', '--https-listen-port', '0']);
    const child = spawn(cmd, argv, { cwd: repoRoot });
    const done = collect(child);
    await waitForStderr(child, /"component":"store".*"msg":"component started"|"msg":"component started".*"component":"store"/);
    // Still running a moment later: the server waits for a signal, it does not exit on its own.
    await new Promise((r) => setTimeout(r, 500));
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'component stopped', 'skiff server stopped']));
    for (const l of lines) expect(l).toMatchObject({ level: expect.any(Number), time: expect.any(String), msg: expect.any(String) });
  });
});
