import type { ServerResponse } from 'node:http';
import type { ResourceDef } from '../resource.ts';
import type { WatchEvent } from '../types/index.ts';
import { toTable, type TableRequest } from './table.ts';

/**
 * Streams watch events as chunked JSON lines, flushed one by one (kubectl-api.md §9). With Table
 * output each object is a one-row Table; only the first carries column definitions, as upstream.
 */
export async function streamWatch(res: ServerResponse, events: AsyncIterable<WatchEvent>, def: ResourceDef, table: TableRequest | undefined, now: () => Date): Promise<void> {
  res.socket?.setNoDelay(true);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let first = true;
  for await (const ev of events) {
    let object: unknown = ev.object;
    if (table !== undefined && (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED')) {
      object = toTable(def, [ev.object], { resourceVersion: ev.object.metadata?.resourceVersion }, table, now(), first);
      first = false;
    }
    if (!res.write(`${JSON.stringify({ type: ev.type, object })}\n`)) {
      await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
    if (res.destroyed) break;
  }
  res.end();
}
