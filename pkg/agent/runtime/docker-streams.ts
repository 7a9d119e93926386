import type { Duplex, Readable } from 'node:stream';
import type Docker from 'dockerode';
import { DockerDemux } from './demux.ts';
import type { AttachedProcess, AttachOptions, LogOptions } from './types.ts';

/** GET /containers/{id}/logs; demultiplexed unless the container has a TTY. */
export async function dockerLogs(docker: Docker, id: string, opts: LogOptions): Promise<AsyncIterable<Buffer>> {
  const c = docker.getContainer(id);
  const tty = (await c.inspect()).Config.Tty === true;
  const query = {
    stdout: true, stderr: true, follow: opts.follow, timestamps: opts.timestamps,
    ...(opts.tail !== undefined ? { tail: opts.tail } : {}),
    ...(opts.since !== undefined ? { since: opts.since.toFixed(9) } : {}),
    ...(opts.signal ? { abortSignal: opts.signal } : {}),
  };
  // dockerode answers a Buffer without follow and a stream with it.
  const res = (await c.logs(query as Docker.ContainerLogsOptions & { follow: true })) as unknown as Readable | Buffer;
  const source = Buffer.isBuffer(res) ? once(res) : stoppable(res, opts.signal);
  return tty ? source : demuxed(source);
}

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

async function* demuxed(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const d = new DockerDemux();
  for await (const chunk of source) for (const f of d.push(chunk)) yield f.payload;
}

async function* stoppable(stream: Readable, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const stop = () => stream.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    if (!signal?.aborted) throw err;
  } finally {
    signal?.removeEventListener('abort', stop);
    stream.destroy();
  }
}

export async function dockerExecAttached(docker: Docker, id: string, cmd: string[], o: AttachOptions): Promise<AttachedProcess> {
  const exec = await docker.getContainer(id).exec({
    Cmd: cmd, AttachStdin: o.stdin, AttachStdout: o.stdout, AttachStderr: o.stderr && !o.tty, Tty: o.tty,
  });
  const socket = (await exec.start({ hijack: true, stdin: o.stdin, Tty: o.tty })) as unknown as Duplex;
  return attached(socket, o, {
    resize: async (w, h) => void (await exec.resize({ w, h })),
    exitCode: async () => {
      // The engine may report the process as running for a moment after its output ended.
      for (let i = 0; i < 50; i++) {
        const info = await exec.inspect();
        if (!info.Running) return info.ExitCode ?? undefined;
        await new Promise((r) => setTimeout(r, 20));
      }
      return undefined;
    },
  });
}

export async function dockerAttach(docker: Docker, id: string, o: AttachOptions): Promise<AttachedProcess> {
  const c = docker.getContainer(id);
  const tty = (await c.inspect()).Config.Tty === true;
  const socket = (await c.attach({ stream: true, hijack: true, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr })) as unknown as Duplex;
  return attached(socket, { ...o, tty }, {
    resize: async (w, h) => void (await c.resize({ w, h })),
    exitCode: async () => undefined,
  });
}

function attached(socket: Duplex, o: AttachOptions, ops: { resize: AttachedProcess['resize']; exitCode: AttachedProcess['exitCode'] }): AttachedProcess {
  let ended: () => void;
  const done = new Promise<void>((r) => (ended = r));
  socket.on('error', () => {});
  async function* output(): AsyncGenerator<{ stream: 1 | 2; data: Buffer }> {
    const d = new DockerDemux();
    try {
      for await (const chunk of socket) {
        if (o.tty) yield { stream: 1, data: chunk as Buffer };
        else for (const f of d.push(chunk as Buffer)) yield { stream: f.stream, data: f.payload };
      }
    } catch {
      // The engine cut the connection: the output is over either way.
    } finally {
      ended();
    }
  }
  return {
    output: output(),
    writeStdin: (data) => {
      if (o.stdin && socket.writable) socket.write(data);
    },
    closeStdin: () => {
      if (socket.writable) socket.end();
    },
    resize: (w, h) => ops.resize(w, h),
    exitCode: async () => {
      await done;
      return ops.exitCode();
    },
    close: () => socket.destroy(),
  };
}
