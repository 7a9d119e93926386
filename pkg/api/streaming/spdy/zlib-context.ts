import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { headerDictionary } from './dictionary.ts';

/**
 * One direction's header compression context. SPDY compresses every header block of a session
 * with one continuing zlib stream (the dictionary set once, each block ended by a sync flush), so
 * blocks must pass through here in order; calls are queued.
 */
export class ZlibContext {
  private readonly z: Inflate | Deflate;
  private queue: Promise<unknown> = Promise.resolve();
  private failed: Error | undefined;

  constructor(mode: 'inflate' | 'deflate') {
    // A big readable buffer: a flush's whole output must fit before it is read out.
    const opts = { dictionary: headerDictionary, readableHighWaterMark: 1 << 20 };
    this.z = mode === 'inflate' ? createInflate(opts) : createDeflate({ ...opts, level: constants.Z_DEFAULT_COMPRESSION });
    this.z.on('error', (err: Error) => (this.failed = err));
  }

  /** Inflates or deflates one block; the output of the sync flush that ends it. */
  run(block: Buffer): Promise<Buffer> {
    const p = this.queue.then(() => new Promise<Buffer>((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      const onError = (err: Error) => reject(err);
      this.z.once('error', onError);
      this.z.write(block);
      this.z.flush(constants.Z_SYNC_FLUSH, () => {
        this.z.off('error', onError);
        if (this.failed) return reject(this.failed);
        const out: Buffer[] = [];
        let c: Buffer | null;
        while ((c = this.z.read() as Buffer | null) !== null) out.push(c);
        resolve(Buffer.concat(out));
      });
    }));
    this.queue = p.catch(() => undefined);
    return p;
  }

  close(): void {
    this.z.destroy();
  }
}
