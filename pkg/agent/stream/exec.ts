import { Channel, type AttachRequest, type ExecRequest, type IncomingStream } from '../../api/tunnel/index.ts';
import type { AttachedProcess, ContainerRuntime } from '../runtime/index.ts';
import { findContainer, refusal } from './target.ts';
import { writeAll } from './write.ts';

/**
 * pods/exec and pods/attach on this node. The tunnel stream speaks v5.channel.k8s.io's channels
 * (requests.ts); the process's output goes out as channel 1/2 messages and, when it ends, one
 * Status on channel 3: Success, or NonZeroExitCode with the code as the kubelet words it.
 */
export async function serveExec(runtime: ContainerRuntime, node: string, s: IncomingStream & { request: ExecRequest | AttachRequest }): Promise<void> {
  const r = s.request;
  const c = await findContainer(runtime, node, r.target);
  if (c.state !== 'running') throw refusal(400, 'BadRequest', `container not found ("${r.target.container}")`);
  const opts = { stdin: r.stdin, stdout: r.stdout, stderr: r.stderr, tty: r.tty };
  let proc: AttachedProcess;
  try {
    proc = r.kind === 'exec' ? await runtime.execAttached(c.id, r.command, opts) : await runtime.attach(c.id, opts);
  } catch (err) {
    throw refusal(400, 'BadRequest', engineMessage(err));
  }
  const io = s.accept();
  io.on('close', () => proc.close());
  io.on('data', (msg: Buffer) => input(proc, msg));
  io.on('end', () => proc.closeStdin());

  for await (const { stream, data } of proc.output) {
    if (stream === 2 && !r.stderr) continue;
    if (stream === 1 && !r.stdout) continue;
    if (!(await writeAll(io, Buffer.concat([Buffer.of(stream === 2 ? Channel.stderr : Channel.stdout), data])))) return;
  }
  const code = await proc.exitCode();
  await writeAll(io, Buffer.concat([Buffer.of(Channel.status), Buffer.from(JSON.stringify(exitStatus(r, code)))]));
  io.end();
}

function input(proc: AttachedProcess, msg: Buffer): void {
  if (msg.length === 0) return;
  const body = msg.subarray(1);
  switch (msg[0]) {
    case Channel.stdin:
      if (body.length) proc.writeStdin(body);
      return;
    case Channel.resize: {
      const size = parseSize(body);
      if (size) proc.resize(size.width, size.height).catch(() => {});
      return;
    }
    case Channel.close:
      if (body[0] === Channel.stdin) proc.closeStdin();
      return;
  }
}

/** `{"Width":w,"Height":h}`, possibly several back to back; the last one wins. */
function parseSize(body: Buffer): { width: number; height: number } | undefined {
  let last: { width: number; height: number } | undefined;
  for (const line of body.toString('utf8').split(/\n|(?<=\})\s*(?=\{)/)) {
    try {
      const v = JSON.parse(line) as { Width?: unknown; Height?: unknown };
      if (Number.isInteger(v.Width) && Number.isInteger(v.Height) && (v.Width as number) > 0 && (v.Height as number) > 0) last = { width: v.Width as number, height: v.Height as number };
    } catch {
      // not a size: ignored, as the kubelet ignores undecodable resize events
    }
  }
  return last;
}

function exitStatus(r: ExecRequest | AttachRequest, code: number | undefined): object {
  if (r.kind === 'attach' || code === 0 || code === undefined) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${r.command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return e.json?.message ?? e.message ?? String(err);
}
