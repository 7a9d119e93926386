import type { Writable } from 'node:stream';

/** Writes and waits while the stream's buffer is full; resolves false once the stream is gone. */
export async function writeAll(w: Writable, chunk: Buffer): Promise<boolean> {
  if (w.destroyed || w.writableEnded) return false;
  if (w.write(chunk)) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      w.off('drain', onDrain);
      w.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    w.on('drain', onDrain);
    w.on('close', onClose);
  });
}
