import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBinary } from '../build/binary.ts';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { removeNodeLeftovers } from './nodes.ts';

// A server without its own agent; machines join it with join tokens, as the README's Nodes section says.
const run = randomBytes(3).toString('hex');
const node = `tok-a-${run}`;
const tokenNode = `tok-b-${run}`;
const cidr = `10.${150 + (randomBytes(1)[0]! % 40)}.0.0/16`;
let s: TestServer;
let bin: string;
let serverUrl: string;
let nodeToken: string;
const agents: ChildProcess[] = [];

beforeAll(async () => {
  if (!apiServed) return;
  bin = await builtBinary();
  s = await startServer(['--cluster-cidr', cidr]);
  serverUrl = `https://127.0.0.1:${s.port}`;
  nodeToken = readFileSync(join(s.dir, 'data', 'server', 'node-token'), 'utf8').trim();
});
afterAll(async () => {
  await Promise.all(agents.map(stopAgent));
  await s?.stop();
  for (const n of [node, tokenNode]) await removeNodeLeftovers(n, { killall: true });
});

/** A running `skiff agent` and its stderr so far. */
function startAgent(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(bin, ['agent', '--disable-ingress', '--log-level', 'debug', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  agents.push(child);
  return { child, output: () => output };
}

async function stopAgent(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
}

/** An agent that is expected to give up: its exit code and the last line it printed. */
function failingAgent(args: string[]): { status: number | null; last: string } {
  const r = spawnSync(bin, ['agent', '--disable-ingress', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, last: r.stderr.trim().split('\n').at(-1) ?? '' };
}

async function until(what: string, ok: () => boolean, agentOutput = () => '', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: timed out\nserver:\n${s.logs().split('\n').slice(-10).join('\n')}\nagent:\n${agentOutput().split('\n').slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const ready = (n: string) => new RegExp(`^${n}\\s+Ready\\s`, 'm').test(s.kubectl(['get', 'nodes', '--no-headers']).stdout);
const phase = (pod: string) => s.kubectl(['get', 'pod', pod, '-o', 'jsonpath={.status.phase}']).stdout;
const podOn = (name: string, n: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  nodeName: ${n}\n  terminationGracePeriodSeconds: 1\n  containers:\n  - {name: c, image: skiff-test/busybox:latest, imagePullPolicy: IfNotPresent, command: [sleep, "1000"]}\n`;

describe.skipIf(!apiServed)(`skiff agent --server --token${untilServed}`, () => {
  it('joins with the node-token, goes Ready, runs and deletes pods, and restarts without the token', async () => {
    const dataDir = join(s.dir, node);
    const first = startAgent(['--server', serverUrl, '--token', nodeToken, '--node-name', node, '--data-dir', dataDir]);
    await until('node Ready', () => ready(node), first.output);
    expect(first.output()).toContain('"msg":"joined the cluster"');
    expect(existsSync(join(dataDir, 'agent', 'node.kubeconfig'))).toBe(true);
    expect(s.kubectl(['apply', '-f', '-'], { input: podOn(`p1-${run}`, node) }).stderr).toBe('');
    await until('pod Running', () => phase(`p1-${run}`) === 'Running', first.output);

    await stopAgent(first.child);
    // No --server, no --token: the stored node credentials are enough.
    const again = startAgent(['--node-name', node, '--data-dir', dataDir]);
    expect(s.kubectl(['apply', '-f', '-'], { input: podOn(`p2-${run}`, node) }).stderr).toBe('');
    await until('pod after restart Running', () => phase(`p2-${run}`) === 'Running', again.output);
    expect(again.output()).not.toContain('joined the cluster');
    expect(ready(node)).toBe(true);
    // The node finishes the graceful delete of its own pods (a node may delete only those).
    expect(s.kubectl(['delete', 'pod', `p1-${run}`, '--wait=true', '--timeout=60s']).code).toBe(0);
    expect(again.output() + first.output()).not.toMatch(/forbidden/i);
  }, 240_000);

  it('refuses an unknown token, a token of another CA, and a second machine with a live node\'s name, in one line', async () => {
    const unknown = failingAgent(['--server', serverUrl, '--token', nodeToken.replace(/::.*$/, '::abcdef.0123456789abcdef'), '--node-name', 'x', '--data-dir', join(s.dir, 'unknown')]);
    expect(unknown).toEqual({ status: 1, last: `skiff agent: ${serverUrl} refused the join token: it is unknown, expired or deleted` });
    const otherCa = failingAgent(['--server', serverUrl, '--token', nodeToken.replace(/^SK10[0-9a-f]{64}/, `SK10${'f'.repeat(64)}`), '--node-name', 'x', '--data-dir', join(s.dir, 'other-ca')]);
    expect(otherCa.status).toBe(1);
    expect(otherCa.last).toMatch(new RegExp(`^skiff agent: the CA of ${serverUrl.replace(/\./g, '\\.')} \\(sha256 ${nodeToken.slice(4, 68)}\\) does not match the join token's \\(f{64}\\): wrong server, or a token of another cluster$`));
    const malformed = failingAgent(['--server', serverUrl, '--token', 'secret', '--node-name', 'x', '--data-dir', join(s.dir, 'malformed')]);
    expect(malformed.status).toBe(1);
    expect(malformed.last).toMatch(/^skiff agent: a join token starts with SK10/);
    // Another machine (another data dir, so another node password) under the name of the live node.
    const duplicate = failingAgent(['--server', serverUrl, '--token', nodeToken, '--node-name', node, '--data-dir', join(s.dir, 'duplicate')]);
    expect(duplicate).toEqual({ status: 1, last: `skiff agent: node "${node}" already exists and was joined by another machine (its node password differs): pick another --node-name, or delete the node (kubectl delete node ${node}) to let this machine take the name` });
  });

  it('skiff token create --ttl, list, use and delete: refused after the delete', async () => {
    const tokenCmd = (...args: string[]) => spawnSync(bin, ['token', ...args, '--data-dir', join(s.dir, 'data')], { encoding: 'utf8', timeout: 30_000 });
    const created = tokenCmd('create', '--ttl', '2h', '--description', `for ${tokenNode}`);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(new RegExp(`^${nodeToken.slice(0, 68)}::[a-z0-9]{6}\\.[a-z0-9]{16}$`));
    const id = token.slice(70, 76);
    const listed = tokenCmd('list').stdout.split('\n');
    expect(listed[0]).toMatch(/^ID\s+EXPIRES\s+USAGES\s+DESCRIPTION$/);
    expect(listed.find((l) => l.startsWith(id))).toMatch(new RegExp(`^${id}\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+authentication\\s+for ${tokenNode}$`));
    expect(listed.find((l) => l.startsWith(nodeToken.slice(70, 76)))).toMatch(/<never>\s+authentication\s+the server's node-token/);

    // An expired token is refused, and the server's token cleaner deletes it.
    const stale = tokenCmd('create', '--ttl', '1ms', '--description', 'stale');
    const staleId = stale.stdout.trim().slice(70, 76);
    expect(staleId).toMatch(/^[a-z0-9]{6}$/);
    await until('the expired token deleted', () => !tokenCmd('list').stdout.split('\n').some((l) => l.startsWith(staleId)), () => '');
    const staleJoin = failingAgent(['--server', serverUrl, '--token', stale.stdout.trim(), '--node-name', 'stale', '--data-dir', join(s.dir, 'stale')]);
    expect(staleJoin).toEqual({ status: 1, last: `skiff agent: ${serverUrl} refused the join token: it is unknown, expired or deleted` });

    const joined = startAgent(['--server', serverUrl, '--token', token, '--node-name', tokenNode, '--data-dir', join(s.dir, tokenNode)]);
    await until('node joined with the created token registered', () => s.kubectl(['get', 'node', tokenNode]).code === 0, joined.output);
    expect(joined.output()).toContain('"msg":"joined the cluster"');
    await stopAgent(joined.child);

    const deleted = tokenCmd('delete', id);
    expect({ status: deleted.status, stdout: deleted.stdout, stderr: deleted.stderr }).toEqual({ status: 0, stdout: `bootstrap token "${id}" deleted\n`, stderr: '' });
    expect(tokenCmd('list').stdout).not.toContain(id);
    const refused = failingAgent(['--server', serverUrl, '--token', token, '--node-name', `${tokenNode}-2`, '--data-dir', join(s.dir, 'after-delete')]);
    expect(refused).toEqual({ status: 1, last: `skiff agent: ${serverUrl} refused the join token: it is unknown, expired or deleted` });
    const again = tokenCmd('delete', id);
    expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 1, stderr: `skiff token: bootstrap token "${id}" not found (skiff token list shows the tokens)\n` });
  }, 120_000);

  it('keeps the node-token across a server restart, and the restarted server honours it', async () => {
    const tokenFile = join(s.dir, 'data', 'server', 'node-token');
    const before = readFileSync(tokenFile, 'utf8');
    await Promise.all(agents.map(stopAgent));
    await s.stop({ keep: true });
    s = await startServer(['--cluster-cidr', cidr], { dir: s.dir });
    serverUrl = `https://127.0.0.1:${s.port}`;
    expect(readFileSync(tokenFile, 'utf8')).toBe(before);
    await until('startup log names the node-token', () => s.logs().includes(`"nodeToken":"${tokenFile}"`));
    // Past the token check, the join stops at the node password: the token itself was accepted.
    const other = failingAgent(['--server', serverUrl, '--token', nodeToken, '--node-name', node, '--data-dir', join(s.dir, 'after-restart')]);
    expect(other.last).toMatch(new RegExp(`^skiff agent: node "${node}" already exists and was joined by another machine`));
  }, 120_000);
});
