import type { Statement } from 'better-sqlite3';
import type { Change } from './backend.ts';
import { UPSERT_META, fullySynced, type Db } from './sqlite-schema.ts';

/** Revisions per compaction transaction: each stays a few ms, so writers barely notice. */
const COMPACT_WINDOW = 200;
/** Incremental vacuum starts above this many free pages and this share of the file. */
const VACUUM_MIN_FREE_PAGES = 1024;
const VACUUM_MIN_FREE_SHARE = 0.2;
const VACUUM_STEP_PAGES = 256;

/**
 * Every write of the sqlite driver, each one transaction. Nothing here runs unless something
 * changed: no periodic writes, no checkpoint after a compaction that removed nothing.
 */
export class SqliteWrites {
  private readonly insertLog: Statement;
  private readonly upsertKv: Statement;
  private readonly deleteKv: Statement;
  private readonly putMeta: Statement;
  private readonly raiseMeta: Statement;
  private readonly deleteSuperseded: Statement;
  private readonly deleteTombstones: Statement;
  private readonly firstRowAfter: Statement;
  private readonly anyGarbage: Statement;
  private readonly writeTx: (changes: readonly Change[], ceiling: number | undefined) => void;
  private checkpointDue = false;

  constructor(
    private readonly db: Db,
    private readonly synchronous: 'NORMAL' | 'FULL',
    /** History up to here is physically gone. */
    public compacted: number,
  ) {
    this.insertLog = db.prepare('INSERT INTO log (rev, key, create_rev, prev_rev, ver, deleted, expires_at, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.upsertKv = db.prepare('INSERT INTO kv (key, rev) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET rev = excluded.rev');
    this.deleteKv = db.prepare('DELETE FROM kv WHERE key = ?');
    this.putMeta = db.prepare(UPSERT_META);
    this.raiseMeta = db.prepare('UPDATE meta SET v = max(v, ?) WHERE k = ?');
    // Each row in the window supersedes exactly the row at its prev_rev; those rows and the
    // window's tombstones are history nobody may ask for once the window is compacted. Rows after
    // the window keep their prev rows (which they supersede later), so replay stays complete.
    this.deleteSuperseded = db.prepare('DELETE FROM log WHERE rev IN (SELECT prev_rev FROM log WHERE rev > ? AND rev <= ? AND prev_rev > 0)');
    this.deleteTombstones = db.prepare('DELETE FROM log WHERE rev > ? AND rev <= ? AND deleted = 1');
    this.firstRowAfter = db.prepare('SELECT rev FROM log WHERE rev > ? ORDER BY rev LIMIT 1').pluck();
    this.anyGarbage = db.prepare('SELECT 1 FROM log WHERE rev > ? AND rev <= ? AND (prev_rev > 0 OR deleted = 1) LIMIT 1').pluck();
    this.writeTx = db.transaction((changes: readonly Change[], ceiling: number | undefined) => {
      for (const c of changes) {
        const { kv } = c;
        if (c.type === 'put') {
          this.insertLog.run(kv.modRevision, kv.key, kv.createRevision, c.prevKv?.modRevision ?? 0, kv.version, 0, kv.expiresAt ?? null, kv.value);
          this.upsertKv.run(kv.key, kv.modRevision);
        } else {
          this.insertLog.run(kv.modRevision, kv.key, kv.createRevision, c.prevKv.modRevision, 0, 1, null, null);
          this.deleteKv.run(kv.key);
        }
      }
      if (ceiling !== undefined) this.putMeta.run('ceiling', ceiling);
    });
  }

  commit(changes: readonly Change[], ceiling: number | undefined): void {
    if (ceiling !== undefined) fullySynced(this.db, this.synchronous, () => this.writeTx(changes, ceiling));
    else this.writeTx(changes, undefined);
  }

  compactStep(target: number): boolean {
    const lo = this.compacted;
    if (lo >= target) return false;
    const first = this.firstRowAfter.get(lo) as number | undefined;
    if (first === undefined || first > target) {
      // Nothing on disk in (lo, target] (e.g. only volatile writes): nothing to delete or record.
      this.compacted = target;
      return false;
    }
    const hi = Math.min(target, first - 1 + COMPACT_WINDOW);
    // A window of creates only frees nothing; skip the write (progress is re-derived after a
    // restart by reading, which costs nothing on disk).
    if (this.anyGarbage.get(lo, hi) !== undefined) {
      this.db.transaction(() => {
        this.deleteSuperseded.run(lo, hi);
        this.deleteTombstones.run(lo, hi);
        this.putMeta.run('compacted', hi);
        this.raiseMeta.run(hi, 'compact_rev');
      })();
      this.checkpointDue = true;
    }
    this.compacted = hi;
    return hi < target;
  }

  maintain(): boolean {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    if (free > VACUUM_MIN_FREE_PAGES && free > pages * VACUUM_MIN_FREE_SHARE) {
      this.db.pragma(`incremental_vacuum(${VACUUM_STEP_PAGES})`);
      this.checkpointDue = true;
      return true;
    }
    if (this.checkpointDue) {
      this.checkpointDue = false;
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
    return false;
  }

  /** Marks a clean shutdown: the next open continues right after `revision`. */
  close(revision: number, compactRevision: number): void {
    fullySynced(
      this.db,
      this.synchronous,
      this.db.transaction(() => {
        this.putMeta.run('clean', 1);
        this.putMeta.run('ceiling', revision);
        this.raiseMeta.run(compactRevision, 'compact_rev');
      }),
    );
    this.db.close();
  }
}
