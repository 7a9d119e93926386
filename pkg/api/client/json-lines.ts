import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a chunked watch body into JSON values, one per line, across chunk boundaries (including
 * multi-byte characters split between chunks). Blank lines are skipped; a line that is not JSON
 * throws, since the stream can no longer be trusted.
 */
export class JsonLines {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  push(chunk: Buffer | string): unknown[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: unknown[] = [];
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      if (line.trim()) out.push(JSON.parse(line));
    }
    return out;
  }

  /** The last value when the stream ended without a trailing newline. */
  end(): unknown[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest.trim() ? [JSON.parse(rest)] : [];
  }
}
