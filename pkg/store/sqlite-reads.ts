import type { Statement } from 'better-sqlite3';
import type { Change, RangeQuery, TtlEntry } from './backend.ts';
import { compareKeys, prefixEnd } from './keys.ts';
import type { Db } from './sqlite-schema.ts';
import type { KV } from './store.ts';

interface Row {
  rev: number;
  key: string;
  create_rev: number;
  ver: number;
  expires_at: number | null;
  value: string | null;
}

interface ReplayRow extends Row {
  deleted: number;
  p_rev: number | null;
  p_create_rev: number;
  p_ver: number;
  p_expires_at: number | null;
  p_value: string;
}

const COLS = 'l.rev, l.key, l.create_rev, l.ver, l.expires_at';

// The state at revision R of a key is its newest row with rev <= R; it is live unless that row is
// a tombstone. Walking log_key_rev in key order lets LIMIT stop early, and the NOT EXISTS probe is
// a covering-index seek (EXPLAIN QUERY PLAN: SEARCH l USING INDEX log_key_rev, no temp B-tree).
const AT_REVISION = 'l.rev <= ? AND l.deleted = 0 AND NOT EXISTS (SELECT 1 FROM log n WHERE n.key = l.key AND n.rev > l.rev AND n.rev <= ?)';

/**
 * Every read of the sqlite driver. Statements are prepared once (range variants lazily) and run
 * synchronously; none holds a cursor open across calls.
 */
export class SqliteReads {
  private readonly cache = new Map<string, Statement>();
  private readonly current: Statement<[string], Row>;
  private readonly atRevision: Statement<[string, number], Row & { deleted: number }>;

  constructor(private readonly db: Db) {
    this.current = db.prepare(`SELECT ${COLS}, l.value FROM kv JOIN log l ON l.rev = kv.rev WHERE kv.key = ?`);
    this.atRevision = db.prepare(`SELECT ${COLS}, l.value, l.deleted FROM log l WHERE l.key = ? AND l.rev <= ? ORDER BY l.rev DESC LIMIT 1`);
  }

  getCurrent(key: string): KV | undefined {
    const r = this.current.get(key);
    return r && toKV(r);
  }

  getAt(key: string, revision: number): KV | undefined {
    const r = this.atRevision.get(key, revision);
    return r && !r.deleted ? toKV(r) : undefined;
  }

  list(q: RangeQuery): KV[] {
    const { where, args } = range(q, q.revision === undefined ? 'kv.key' : 'l.key');
    const value = q.keysOnly ? "'' AS value" : 'l.value';
    const sql =
      q.revision === undefined
        ? `SELECT ${COLS}, ${value} FROM kv JOIN log l ON l.rev = kv.rev WHERE ${where} ORDER BY kv.key LIMIT ?`
        : `SELECT ${COLS}, ${value} FROM log l WHERE ${where} AND ${AT_REVISION} ORDER BY l.key LIMIT ?`;
    const revArgs = q.revision === undefined ? [] : [q.revision, q.revision];
    return (this.stmt(sql).all(...args, ...revArgs, q.limit ?? -1) as Row[]).map(toKV);
  }

  count(q: Pick<RangeQuery, 'prefix' | 'after' | 'revision'>): number {
    const current = this.countCurrent(q);
    if (q.revision === undefined) return current;
    const changed = (this.stmt('SELECT max(rev) FROM log').pluck().get() as number | null ?? 0) - q.revision;
    if (changed <= 0) return current;
    const { where, args } = range(q, '+l.key');
    // Few changes since the revision (the usual case: paging through a list just taken): start
    // from the current count and undo them. A key's first change after R tells whether it was
    // live at R (an update or delete has a prev row, a create has none). Rows after R are never
    // compacted away, so this is exact. Otherwise count the state at R directly.
    if (changed <= Math.max(1000, current / 2)) {
      const delta =
        `SELECT coalesce(sum((f.prev_rev > 0) - (kv.key IS NOT NULL)), 0) FROM ` +
        `(SELECT l.key, min(l.rev), l.prev_rev FROM log l WHERE l.rev > ? AND ${where} GROUP BY l.key) f LEFT JOIN kv ON kv.key = f.key`;
      return current + (this.stmt(delta).pluck().get(q.revision, ...args) as number);
    }
    const full = range(q, 'l.key');
    return this.stmt(`SELECT COUNT(*) FROM log l WHERE ${full.where} AND ${AT_REVISION}`).pluck().get(...full.args, q.revision, q.revision) as number;
  }

  private countCurrent(q: Pick<RangeQuery, 'prefix' | 'after'>): number {
    const { where, args } = range(q, 'key');
    return this.stmt(`SELECT COUNT(*) FROM kv WHERE ${where}`).pluck().get(...args) as number;
  }

  replay(prefix: string, after: number, until: number): Change[] {
    // Unary + keeps the planner on the rev range (the key index would need a sort).
    const { where, args } = range({ prefix }, '+l.key');
    const sql =
      `SELECT ${COLS}, l.value, l.deleted, p.rev AS p_rev, p.create_rev AS p_create_rev, p.ver AS p_ver, ` +
      `p.expires_at AS p_expires_at, p.value AS p_value FROM log l LEFT JOIN log p ON p.rev = l.prev_rev ` +
      `WHERE l.rev > ? AND l.rev <= ? AND ${where} ORDER BY l.rev`;
    return (this.stmt(sql).all(after, until, ...args) as ReplayRow[]).map(toChange);
  }

  expiring(): TtlEntry[] {
    const sql = 'SELECT l.key, l.rev, l.expires_at FROM log l JOIN kv ON kv.key = l.key AND kv.rev = l.rev WHERE l.expires_at IS NOT NULL';
    return (this.stmt(sql).all() as Array<{ key: string; rev: number; expires_at: number }>).map((r) => ({ key: r.key, modRevision: r.rev, expiresAt: r.expires_at }));
  }

  liveKeys(): number {
    return this.stmt('SELECT COUNT(*) FROM kv').pluck().get() as number;
  }

  historyRows(): number {
    return this.stmt('SELECT COUNT(*) FROM log').pluck().get() as number;
  }

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) this.cache.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}

/** The SQL condition for "under `prefix` and after `after`" on `col`, with its arguments. */
function range(q: Pick<RangeQuery, 'prefix' | 'after'>, col: string): { where: string; args: string[] } {
  const conds: string[] = [];
  const args: string[] = [];
  if (q.after !== undefined && compareKeys(q.after, q.prefix) >= 0) {
    conds.push(`${col} > ?`);
    args.push(q.after);
  } else if (q.prefix !== '') {
    conds.push(`${col} >= ?`);
    args.push(q.prefix);
  }
  const end = prefixEnd(q.prefix);
  if (end !== undefined) {
    conds.push(`${col} < ?`);
    args.push(end);
  }
  return { where: conds.length > 0 ? conds.join(' AND ') : '1', args };
}

function toKV(r: Row): KV {
  const kv: KV = { key: r.key, value: r.value ?? '', createRevision: r.create_rev, modRevision: r.rev, version: r.ver };
  if (r.expires_at !== null) kv.expiresAt = r.expires_at;
  return kv;
}

function toChange(r: ReplayRow): Change {
  const prev =
    r.p_rev === null
      ? undefined
      : Object.freeze(toKV({ rev: r.p_rev, key: r.key, create_rev: r.p_create_rev, ver: r.p_ver, expires_at: r.p_expires_at, value: r.p_value }));
  if (r.deleted) {
    const tomb = Object.freeze<KV>({ key: r.key, value: prev?.value ?? '', createRevision: r.create_rev, modRevision: r.rev, version: 0 });
    return Object.freeze<Change>({ type: 'delete', kv: tomb, prevKv: prev ?? tomb });
  }
  const kv = Object.freeze(toKV(r));
  return Object.freeze<Change>(prev ? { type: 'put', kv, prevKv: prev } : { type: 'put', kv });
}
