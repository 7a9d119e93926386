import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBinary, repoRoot } from './binary.ts';

// install.sh for real, but into a temporary prefix (bin, data, config, log and pid overrides) so
// that it never touches /usr/local/bin or a running skiff on this machine. No init system is used
// (INSTALL_SKIFF_INIT=none: the nohup path) and Docker is left alone.
describe('install.sh', () => {
  let prefix: string;
  let binary: string;
  const p = (...parts: string[]) => join(prefix, ...parts);
  const started: number[] = [];

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    SKIFF_BINARY: binary,
    INSTALL_SKIFF_SKIP_DOCKER: '1',
    INSTALL_SKIFF_INIT: 'none',
    INSTALL_SKIFF_BIN_DIR: p('bin'),
    INSTALL_SKIFF_DATA_DIR: p('data'),
    INSTALL_SKIFF_CONFIG_DIR: p('etc'),
    INSTALL_SKIFF_LOG_FILE: p('skiff.log'),
    INSTALL_SKIFF_PID_FILE: p('skiff.pid'),
    ...extra,
  });
  const sh = (cmd: string, args: string[], e: NodeJS.ProcessEnv = env()) => {
    const r = spawnSync(cmd, args, { cwd: repoRoot, env: e, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  beforeAll(async () => {
    binary = await builtBinary();
    prefix = mkdtempSync(join(tmpdir(), 'skiff-install-'));
  }, 300_000);

  afterAll(() => {
    for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('installs and starts a server, skiff-killall.sh stops it, skiff-uninstall.sh -y removes it', async () => {
    const port = await freePort();
    const install = sh(join(repoRoot, 'install.sh'), ['--', '--https-listen-port', String(port), '--disable-agent']);
    expect(install.out).toContain('skiff server is running');
    expect(install.code).toBe(0);

    const pid = Number(readFileSync(p('skiff.pid'), 'utf8'));
    started.push(pid);
    expect(isAlive(pid)).toBe(true);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv.slice(1)).toEqual(expect.arrayContaining(['server', '--data-dir', p('data'), '--https-listen-port', String(port)]));
    // the server opened its store in the data dir, with the addon extracted beside it
    await waitFor(() => existsSync(p('data', 'db', 'state.db')));
    expect(readdirSync(p('data', 'native'))).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(isAlive(pid)).toBe(true);

    const killall = sh(p('bin', 'skiff-killall.sh'), []);
    expect(killall.out).toContain('skiff stopped');
    expect(killall.code).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(p('skiff.pid'))).toBe(false);

    const unconfirmed = sh(p('bin', 'skiff-uninstall.sh'), []);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.out).toContain('pass -y');
    expect(existsSync(p('data'))).toBe(true);

    const uninstall = sh(p('bin', 'skiff-uninstall.sh'), ['-y']);
    expect(uninstall.out).toContain('skiff uninstalled');
    expect(uninstall.code).toBe(0);
    expect(readdirSync(p('bin'))).toEqual([]);
    for (const gone of ['data', 'etc', 'skiff.log']) expect(existsSync(p(gone))).toBe(false);
  });

  it('writes a systemd unit for an agent, the token only in a 0600 environment file', () => {
    const r = sh(join(repoRoot, 'install.sh'), ['--', '--node-name', 'pi 4'], env({
      INSTALL_SKIFF_INIT: 'systemd',
      INSTALL_SKIFF_SKIP_START: '1',
      INSTALL_SKIFF_SYSTEMD_DIR: p('systemd'),
      SKIFF_URL: 'https://10.1.2.3:6443',
      SKIFF_TOKEN: 'SK10abcdef::tok.secret',
    }));
    expect(r.code).toBe(0);
    expect(r.out).toContain('not started (INSTALL_SKIFF_SKIP_START=1)');
    const unit = readFileSync(p('systemd', 'skiff-agent.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${p('bin', 'skiff')} agent --server "\${SKIFF_URL}" --token "\${SKIFF_TOKEN}" --data-dir ${p('data')} --node-name 'pi 4'\n`);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^KillMode=process$/m);
    expect(unit).not.toContain('tok.secret');
    const envFile = p('etc', 'skiff-agent.env');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(envFile, 'utf8')).toContain("SKIFF_TOKEN='SK10abcdef::tok.secret'\n");
    expect(sh(p('bin', 'skiff-uninstall.sh'), ['-y']).code).toBe(0);
    expect(existsSync(p('systemd', 'skiff-agent.service'))).toBe(false);
  });

  it('refuses an agent without a token, and unknown arguments', () => {
    const noToken = sh(join(repoRoot, 'install.sh'), [], env({ SKIFF_URL: 'https://10.1.2.3:6443' }));
    expect(noToken.code).toBe(1);
    expect(noToken.out).toContain('needs both SKIFF_URL and SKIFF_TOKEN');
    const unknown = sh(join(repoRoot, 'install.sh'), ['--https-listen-port', '1']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('flags for skiff go after --');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // a zombie (exited, not yet reaped by init) counts as gone
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
