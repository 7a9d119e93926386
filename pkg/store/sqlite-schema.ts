import Database from 'better-sqlite3';
import { StoreError } from './errors.ts';

export type Db = Database.Database;

const SCHEMA_VERSION = 1;

// log: one row per revision that touched the disk (append-only until compaction). A tombstone
// (deleted = 1) carries no value: the deleted value is the row at prev_rev. kv: the current row
// of every live key, so current reads never scan history. meta: small integers (see MetaKey).
const DDL = `
CREATE TABLE IF NOT EXISTS log (
  rev        INTEGER PRIMARY KEY,
  key        TEXT    NOT NULL,
  create_rev INTEGER NOT NULL,
  prev_rev   INTEGER NOT NULL,
  ver        INTEGER NOT NULL,
  deleted    INTEGER NOT NULL,
  expires_at INTEGER,
  value      TEXT
);
CREATE INDEX IF NOT EXISTS log_key_rev ON log (key, rev);
CREATE INDEX IF NOT EXISTS log_expires ON log (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, rev INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
`;

/**
 * - schema: layout version.
 * - clean: 1 after a clean close, 0 while open (a 0 found at open means the process died).
 * - ceiling: every revision ever handed out is <= ceiling (volatile ones included).
 * - compact_rev: reads below it answer Compacted.
 * - compacted: history up to here is physically removed (<= compact_rev).
 */
export type MetaKey = 'schema' | 'clean' | 'ceiling' | 'compact_rev' | 'compacted';

/**
 * Opens (creating if needed) a store database with skiff's pragmas:
 * - locking_mode EXCLUSIVE: one process owns the file (a second server fails fast instead of
 *   forking the revision counter), and the WAL index lives in heap memory, so reads never write
 *   a -shm file.
 * - auto_vacuum INCREMENTAL (only effective on a new file, hence first), WAL, synchronous as asked.
 * - wal_autocheckpoint 4000 pages: hot pages are rewritten in the WAL and reach the main file once
 *   per checkpoint; journal_size_limit caps the WAL file left behind at 64 MiB.
 */
export function openDatabase(path: string, opts: { synchronous: 'NORMAL' | 'FULL'; nativeBinding?: string }): Db {
  const options: Database.Options = { timeout: 1000 };
  if (opts.nativeBinding) options.nativeBinding = opts.nativeBinding;
  const db = new Database(path, options);
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('auto_vacuum = INCREMENTAL');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`cannot enable WAL on ${path} (journal_mode is ${String(mode)})`);
    db.pragma(`synchronous = ${opts.synchronous}`);
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -8192');
    db.pragma('wal_autocheckpoint = 4000');
    db.pragma('journal_size_limit = 67108864');
    db.transaction(() => db.exec(DDL))();
    const schema = readMeta(db).get('schema');
    if (schema !== undefined && schema !== SCHEMA_VERSION) throw new Error(`${path} has schema version ${schema}, this skiff supports ${SCHEMA_VERSION}`);
    return db;
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new StoreError('ERR_STORE_LOCKED', `${path} is in use by another process (is a skiff server running?)`, { cause: err });
    }
    throw err;
  }
}

export function readMeta(db: Db): Map<MetaKey, number> {
  const rows = db.prepare('SELECT k, v FROM meta').all() as Array<{ k: MetaKey; v: number }>;
  return new Map(rows.map((r) => [r.k, r.v]));
}

export const UPSERT_META = 'INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v';

/** Writes meta entries in one transaction that is fsynced even under synchronous=NORMAL. */
export function writeMetaDurably(db: Db, entries: Partial<Record<MetaKey, number>>, synchronous: 'NORMAL' | 'FULL'): void {
  const put = db.prepare(UPSERT_META);
  fullySynced(
    db,
    synchronous,
    db.transaction(() => {
      for (const [k, v] of Object.entries(entries)) put.run(k, v);
    }),
  );
}

/**
 * Runs `transaction` with synchronous=FULL, so its commit is synced to disk (and with it every
 * earlier commit). For the rare writes that must survive power loss under NORMAL: the revision
 * ceiling and the clean-shutdown marker.
 */
export function fullySynced(db: Db, synchronous: 'NORMAL' | 'FULL', transaction: () => void): void {
  if (synchronous === 'FULL') return transaction();
  db.pragma('synchronous = FULL');
  try {
    transaction();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}
