import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime, type AttachedProcess, type ContainerSpec } from '../../../pkg/agent/runtime/index.ts';

// Logs, attached exec and attach against the real Docker engine.
const image = 'skiff-test/busybox:latest';
const run = randomBytes(3).toString('hex');
const labels = { 'skiff.io/test': `streams-${run}` };
const rt = new DockerRuntime();

afterAll(async () => {
  for (const c of await rt.listContainers(labels)) await rt.removeContainer(c.id);
});

async function start(name: string, cmd: string, extra: Partial<ContainerSpec> = {}): Promise<string> {
  const id = await rt.createContainer({ name: `skiff-streams-${run}-${name}`, image, entrypoint: ['sh', '-c', cmd], labels, network: { kind: 'bridge', network: 'bridge' }, ...extra });
  await rt.startContainer(id);
  return id;
}

async function text(it: AsyncIterable<Buffer>): Promise<string> {
  let s = '';
  for await (const b of it) s += b.toString();
  return s;
}

async function output(p: AttachedProcess): Promise<{ out: string; err: string; order: string }> {
  const r = { out: '', err: '', order: '' };
  for await (const { stream, data } of p.output) {
    if (stream === 1) r.out += data;
    else r.err += data;
    r.order += stream === 1 ? 'o' : 'e';
  }
  return r;
}

async function untilExited(id: string): Promise<void> {
  while ((await rt.inspectContainer(id))?.state !== 'exited') await new Promise((r) => setTimeout(r, 50));
}

describe('DockerRuntime streams', () => {
  it('reads logs of stdout and stderr, with tail, timestamps and since', async () => {
    const id = await start('logs', 'for i in 1 2 3; do echo out $i; echo err $i >&2; done');
    await untilExited(id);
    // The engine logs stdout and stderr from two pipes: lines keep their order within each only.
    const lines = (await text(await rt.logs(id, { follow: false, timestamps: false }))).split('\n');
    expect(lines.filter((l) => l.startsWith('out'))).toEqual(['out 1', 'out 2', 'out 3']);
    expect(lines.filter((l) => l.startsWith('err'))).toEqual(['err 1', 'err 2', 'err 3']);
    const one = await start('logs-one', 'for i in 1 2 3; do echo line $i; done');
    await untilExited(one);
    expect(await text(await rt.logs(one, { follow: false, timestamps: false, tail: 2 }))).toBe('line 2\nline 3\n');
    const stamped = (await text(await rt.logs(one, { follow: false, timestamps: true, tail: 1 }))).trim();
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line 3$/);
    expect(await text(await rt.logs(id, { follow: false, timestamps: false, since: Date.now() / 1000 + 3600 }))).toBe('');
  });

  it('follows logs until the container stops, or until aborted', async () => {
    const id = await start('follow', 'echo first; sleep 1; echo second');
    expect(await text(await rt.logs(id, { follow: true, timestamps: false }))).toBe('first\nsecond\n');
    const long = await start('follow-long', 'echo begin; sleep 600');
    const ac = new AbortController();
    const got: string[] = [];
    for await (const b of await rt.logs(long, { follow: true, timestamps: false, signal: ac.signal })) {
      got.push(b.toString());
      ac.abort();
    }
    expect(got).toEqual(['begin\n']);
  });

  it('keeps a TTY container\'s log as written', async () => {
    const id = await start('tty', 'echo hello', { tty: true });
    await untilExited(id);
    expect(await text(await rt.logs(id, { follow: false, timestamps: false }))).toBe('hello\r\n');
  });

  it('execs with stdin, separate stdout and stderr, and the exit code', async () => {
    const id = await start('exec', 'sleep 600');
    const p = await rt.execAttached(id, ['sh', '-c', 'read a; echo "got $a"; echo bad >&2; exit 4'], { stdin: true, stdout: true, stderr: true, tty: false });
    p.writeStdin(Buffer.from('input\n'));
    p.closeStdin();
    const o = await output(p);
    expect(o).toMatchObject({ out: 'got input\n', err: 'bad\n' });
    expect(await p.exitCode()).toBe(4);
    const cat = await rt.execAttached(id, ['cat'], { stdin: true, stdout: true, stderr: true, tty: false });
    cat.writeStdin(Buffer.from('a'));
    cat.writeStdin(Buffer.from('b'));
    cat.closeStdin(); // EOF ends cat
    expect((await output(cat)).out).toBe('ab');
    expect(await cat.exitCode()).toBe(0);
  });

  it('execs with a TTY: one output stream, and the terminal can be resized', async () => {
    const id = await start('exec-tty', 'sleep 600');
    const p = await rt.execAttached(id, ['sh', '-c', 'sleep 0.3; stty size'], { stdin: true, stdout: true, stderr: false, tty: true });
    await p.resize(91, 17);
    const o = await output(p);
    expect(o.out.trim()).toBe('17 91');
    expect(o.err).toBe('');
    expect(await p.exitCode()).toBe(0);
  });

  it('attaches to the main process: its stdin and output', async () => {
    const id = await start('attach', 'while read l; do echo "seen $l"; done', { stdin: true });
    const p = await rt.attach(id, { stdin: true, stdout: true, stderr: true, tty: false });
    const seen = new Promise<string>((resolve) => {
      void (async () => {
        for await (const { data } of p.output) {
          resolve(data.toString());
          return;
        }
      })();
    });
    p.writeStdin(Buffer.from('x\n'));
    expect(await seen).toBe('seen x\n');
    p.close();
    expect(await p.exitCode()).toBeUndefined();
  });
});
