import type { IncomingStream, LogRequest } from '../../api/tunnel/index.ts';
import type { ContainerRuntime } from '../runtime/index.ts';
import { findContainer } from './target.ts';
import { writeAll } from './write.ts';

/**
 * pods/log on this node: the engine's log of one container, streamed until it ends (or, with
 * follow, until the container stops), cut at `limitBytes`, and stopped when the client leaves.
 */
export async function serveLogs(runtime: ContainerRuntime, node: string, s: IncomingStream & { request: LogRequest }): Promise<void> {
  const r = s.request;
  await findContainer(runtime, node, r.target);
  const ac = new AbortController();
  const lines = await runtime.logs(r.target.containerId, { follow: r.follow, timestamps: r.timestamps, tail: r.tailLines, since: r.since ?? (r.sinceSeconds !== undefined ? Date.now() / 1000 - r.sinceSeconds : undefined), signal: ac.signal });
  const out = s.accept();
  out.on('close', () => ac.abort());
  // The client never writes on a log stream; reading its half lets the stream close cleanly.
  out.resume();
  let left = r.limitBytes ?? Infinity;
  try {
    for await (const chunk of lines) {
      const piece = chunk.length > left ? chunk.subarray(0, left) : chunk;
      left -= piece.length;
      if (piece.length && !(await writeAll(out, piece))) break;
      if (left <= 0) break;
    }
  } catch (err) {
    out.destroy(err as Error);
    return;
  } finally {
    ac.abort();
  }
  out.end();
}
