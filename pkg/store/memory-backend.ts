import type { Change, MemoryBackendApi, RangeQuery } from './backend.ts';
import { compareKeys, lowerBound } from './keys.ts';
import type { KV } from './store.ts';

/** One stored revision of a key; `kv` undefined is a tombstone. */
interface Version {
  rev: number;
  kv?: KV;
}

/**
 * Multi-version keyspace in memory: per key the versions since the compaction point, a sorted key
 * array for range scans, and the change history for watch replay. Inserting a new key costs a
 * splice into the sorted array (fine up to ~10^5 keys, which is beyond a small cluster).
 */
export class MemoryBackend implements MemoryBackendApi {
  private keys: string[] = [];
  private readonly versions = new Map<string, Version[]>();
  /** Keys whose history compaction may shrink (more than one version, or a tombstone). */
  private readonly compactable = new Set<string>();
  private history: Change[] = [];
  private historyHead = 0;
  private live = 0;
  private rows = 0;

  constructor(private floorRevision: number) {}

  floor(): number {
    return this.floorRevision;
  }

  getCurrent(key: string): KV | undefined {
    const vs = this.versions.get(key);
    return vs?.[vs.length - 1].kv;
  }

  getAt(key: string, revision: number): KV | undefined {
    const vs = this.versions.get(key);
    if (!vs) return undefined;
    let lo = 0;
    let hi = vs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (vs[mid].rev <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : vs[lo - 1].kv;
  }

  list(q: RangeQuery): KV[] {
    const out: KV[] = [];
    this.scan(q, (kv) => {
      out.push(q.keysOnly ? { ...kv, value: '' } : kv);
      return q.limit === undefined || out.length < q.limit;
    });
    return out;
  }

  count(q: Pick<RangeQuery, 'prefix' | 'after' | 'revision'>): number {
    let n = 0;
    this.scan(q, () => {
      n++;
      return true;
    });
    return n;
  }

  replay(prefix: string, after: number, until: number): Change[] {
    const h = this.history;
    let lo = this.historyHead;
    let hi = h.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (h[mid].kv.modRevision <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: Change[] = [];
    for (let i = lo; i < h.length && h[i].kv.modRevision <= until; i++) {
      if (h[i].kv.key.startsWith(prefix)) out.push(h[i]);
    }
    return out;
  }

  liveKeys(): number {
    return this.live;
  }

  historyRows(): number {
    return this.rows;
  }

  apply(changes: readonly Change[]): void {
    for (const c of changes) {
      const key = c.kv.key;
      const v: Version = c.type === 'put' ? { rev: c.kv.modRevision, kv: c.kv } : { rev: c.kv.modRevision };
      let vs = this.versions.get(key);
      if (!vs) {
        vs = [];
        this.versions.set(key, vs);
        this.keys.splice(lowerBound(this.keys, key), 0, key);
      }
      vs.push(v);
      this.rows++;
      if (c.type === 'delete') this.live--;
      else if (!c.prevKv) this.live++;
      if (vs.length > 1 || !v.kv) this.compactable.add(key);
      this.history.push(c);
    }
  }

  compact(revision: number): void {
    if (revision <= this.floorRevision) return;
    this.floorRevision = revision;
    while (this.historyHead < this.history.length && this.history[this.historyHead].kv.modRevision <= revision) this.historyHead++;
    if (this.historyHead > 1024 && this.historyHead * 2 > this.history.length) {
      this.history = this.history.slice(this.historyHead);
      this.historyHead = 0;
    }
    let removedKeys = false;
    for (const key of this.compactable) {
      const vs = this.versions.get(key)!;
      // Keep the newest version at or below the compaction point (it is the state there) unless
      // it is a tombstone, in which case nothing below the point is needed at all.
      let keepFrom = 0;
      while (keepFrom + 1 < vs.length && vs[keepFrom + 1].rev <= revision) keepFrom++;
      if (!vs[keepFrom].kv && vs[keepFrom].rev <= revision) keepFrom++;
      if (keepFrom > 0) {
        vs.splice(0, keepFrom);
        this.rows -= keepFrom;
      }
      if (vs.length === 0) {
        this.versions.delete(key);
        removedKeys = true;
      }
      if (vs.length <= 1 && vs[0]?.kv) this.compactable.delete(key);
      if (vs.length === 0) this.compactable.delete(key);
    }
    if (removedKeys) this.keys = this.keys.filter((k) => this.versions.has(k));
  }

  /** Calls `visit` for each live key in range at the query's revision until it returns false. */
  private scan(q: Pick<RangeQuery, 'prefix' | 'after' | 'revision'>, visit: (kv: KV) => boolean): void {
    const { prefix, after, revision } = q;
    const start = after !== undefined && compareKeys(after, prefix) >= 0 ? lowerBound(this.keys, after, true) : lowerBound(this.keys, prefix);
    for (let i = start; i < this.keys.length; i++) {
      const key = this.keys[i];
      if (!key.startsWith(prefix)) break;
      const kv = revision === undefined ? this.getCurrent(key) : this.getAt(key, revision);
      if (kv && !visit(kv)) break;
    }
  }
}
