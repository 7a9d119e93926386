import { statSync } from 'node:fs';
import type { Change, DurableBackend, RangeQuery, TtlEntry } from './backend.ts';
import { CEILING_BLOCK } from './commit.ts';
import { Engine } from './engine.ts';
import { prefixEnd } from './keys.ts';
import { MemoryBackend } from './memory-backend.ts';
import { sqliteNativeBinding } from './native.ts';
import { resolveOptions, type StoreOptions } from './options.ts';
import { openDatabase, readMeta, writeMetaDurably, type Db } from './sqlite-schema.ts';
import { SqliteReads } from './sqlite-reads.ts';
import { SqliteWrites } from './sqlite-writes.ts';
import type { KV, Store } from './store.ts';

/**
 * Opens the SQLite store at `path` (created if missing; its directory must exist).
 *
 * Restart rules, so no client can be told a revision twice or resume across lost history:
 * - The store continues at (highest revision possibly handed out) + 1: after a clean close that is
 *   the last revision, after a crash the persisted ceiling, which covers volatile revisions too.
 * - Volatile keys are gone; reads and watches touching volatile prefixes below the restart
 *   revision answer Compacted.
 * - After a crash (no clean marker) everything below the restart revision answers Compacted.
 * Throws StoreError ERR_STORE_LOCKED when another process has the database open.
 */
export async function openSqliteStore(path: string, options?: StoreOptions): Promise<Store> {
  const o = resolveOptions(options);
  const db = openDatabase(path, { synchronous: o.synchronous, nativeBinding: o.nativeBinding ?? sqliteNativeBinding() });
  try {
    const meta = readMeta(db);
    const fresh = !meta.has('clean');
    const clean = fresh || meta.get('clean') === 1;
    const maxRev = (db.prepare('SELECT max(rev) FROM log').pluck().get() as number | null) ?? 0;
    const revision = fresh ? 1 : Math.max(meta.get('ceiling') ?? 0, maxRev) + 1;
    const compacted = meta.get('compacted') ?? 0;
    let compactRevision = Math.max(meta.get('compact_rev') ?? 0, compacted);
    if (!clean) {
      compactRevision = revision;
      o.logger.warn('store was not closed cleanly; history before the restart revision is compacted', { path, revision });
    }
    purgeVolatile(db, o.volatilePrefixes, o.logger.info.bind(o.logger));
    const ceiling = revision + CEILING_BLOCK;
    writeMetaDurably(db, { schema: 1, clean: 0, ceiling, compact_rev: compactRevision, compacted }, o.synchronous);
    const durable = new SqliteBackend(db, path, new SqliteWrites(db, o.synchronous, compacted));
    return new Engine({
      driver: 'sqlite',
      memory: new MemoryBackend(fresh ? 0 : revision),
      durable,
      revision,
      compactRevision,
      ceiling,
      expiring: durable.expiring(),
      options: o,
    });
  } catch (err) {
    if (db.open) db.close();
    throw err;
  }
}

/**
 * Keys under a volatile prefix found on disk (the prefix was not volatile last time) are removed
 * with their history: volatile keys never survive a restart, and leaving them would shadow the
 * in-memory ones.
 */
function purgeVolatile(db: Db, prefixes: string[], log: (msg: string, fields: Record<string, unknown>) => void): void {
  for (const prefix of prefixes) {
    const end = prefixEnd(prefix) ?? '\u{10ffff}';
    if (db.prepare('SELECT 1 FROM log WHERE key >= ? AND key < ? LIMIT 1').get(prefix, end) === undefined) continue;
    const n = db.transaction(() => {
      db.prepare('DELETE FROM kv WHERE key >= ? AND key < ?').run(prefix, end);
      return db.prepare('DELETE FROM log WHERE key >= ? AND key < ?').run(prefix, end).changes;
    })();
    log('removed stored keys under a volatile prefix', { prefix, rows: n });
  }
}

/** The durable half of the sqlite store: reads, writes and file figures over one connection. */
class SqliteBackend implements DurableBackend {
  private readonly reads: SqliteReads;

  constructor(
    private readonly db: Db,
    private readonly path: string,
    private readonly writes: SqliteWrites,
  ) {
    this.reads = new SqliteReads(db);
  }

  floor(): number {
    return this.writes.compacted;
  }

  getCurrent(key: string): KV | undefined {
    return this.reads.getCurrent(key);
  }

  getAt(key: string, revision: number): KV | undefined {
    return this.reads.getAt(key, revision);
  }

  list(q: RangeQuery): KV[] {
    return this.reads.list(q);
  }

  count(q: Pick<RangeQuery, 'prefix' | 'after' | 'revision'>): number {
    return this.reads.count(q);
  }

  replay(prefix: string, after: number, until: number): Change[] {
    return this.reads.replay(prefix, after, until);
  }

  liveKeys(): number {
    return this.reads.liveKeys();
  }

  historyRows(): number {
    return this.reads.historyRows();
  }

  expiring(): TtlEntry[] {
    return this.reads.expiring();
  }

  commit(changes: readonly Change[], ceiling: number | undefined): void {
    this.writes.commit(changes, ceiling);
  }

  compactStep(target: number): boolean {
    return this.writes.compactStep(target);
  }

  maintain(): boolean {
    return this.writes.maintain();
  }

  files(): { dbBytes: number; walBytes: number; freeBytes: number } {
    const size = (f: string): number => statSync(f, { throwIfNoEntry: false })?.size ?? 0;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return { dbBytes: size(this.path), walBytes: size(`${this.path}-wal`), freeBytes: free * pageSize };
  }

  close(revision: number, compactRevision: number): void {
    this.writes.close(revision, compactRevision);
  }
}
