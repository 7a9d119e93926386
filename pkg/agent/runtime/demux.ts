/**
 * Docker's multiplexed stream format (logs and attached processes of containers without a TTY):
 * frames of `[stream u8, 0, 0, 0, size u32 BE][payload]`, stream 1 stdout and 2 stderr (0 is
 * stdin, echoed by some engines; it is reported as stdout). Parsing keeps the order in which the
 * engine wrote stdout and stderr, which two separate pipes would lose.
 */
export class DockerDemux {
  private buf: Buffer = Buffer.alloc(0);

  /** Feeds bytes; returns every complete frame they finish, in order. */
  push(chunk: Buffer): { stream: 1 | 2; payload: Buffer }[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: { stream: 1 | 2; payload: Buffer }[] = [];
    while (this.buf.length >= 8) {
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + size) break;
      const stream = this.buf[0] === 2 ? 2 : 1;
      out.push({ stream, payload: this.buf.subarray(8, 8 + size) });
      this.buf = this.buf.subarray(8 + size);
    }
    return out;
  }

  /** Bytes of an unfinished frame still held. */
  get pending(): number {
    return this.buf.length;
  }
}
