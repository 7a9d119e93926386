import type { Change, DurableBackend, MemoryBackendApi } from './backend.ts';
import { ConflictError, KeyExistsError, NotFoundError } from './errors.ts';
import type { Clock, StoreLogger } from './options.ts';
import type { KV } from './store.ts';

/** Mutations per transaction; more wait for the next turn of the event loop. */
const MAX_BATCH = 1000;
/**
 * Revisions reserved per ceiling write. The ceiling (the highest revision that may have been
 * handed out) is the only disk write volatile-only traffic ever causes: once per this many
 * revisions, i.e. about once a day for an idle node renewing leases.
 */
export const CEILING_BLOCK = 100_000;

export type Mutation =
  | { op: 'create'; key: string; value: string; ttlSeconds?: number }
  | { op: 'update'; key: string; value: string; expected: number; ttlSeconds?: number }
  | { op: 'delete'; key: string; expected?: number };

interface Pending {
  m: Mutation;
  resolve(kv: KV): void;
  reject(err: unknown): void;
}

export interface CommitDeps {
  memory: MemoryBackendApi;
  durable?: DurableBackend;
  isVolatile(key: string): boolean;
  clock: Clock;
  logger: StoreLogger;
  /** Called after COMMIT with the batch's changes in revision order. */
  published(changes: readonly Change[], revision: number): void;
}

/**
 * The single writer: owns the revision counter and applies mutations in call order with group
 * commit. Mutations queued in the same turn of the event loop are planned one by one against the
 * state including earlier ones of the batch (so compare-and-swap is exact), written in one
 * transaction, and only then published and resolved. A mutation whose precondition fails rejects
 * alone; a failing transaction rejects the whole batch and hands out no revision.
 */
export class CommitQueue {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly deps: CommitDeps,
    /** Revision of the last committed write. */
    public revision: number,
    /** Durable stores: every revision handed out is <= this persisted ceiling. */
    private ceiling = Infinity,
  ) {}

  get idle(): boolean {
    return this.queue.length === 0;
  }

  enqueue(m: Mutation): Promise<KV> {
    return new Promise((resolve, reject) => {
      this.queue.push({ m, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flushAll());
      }
    });
  }

  /** Commits everything queued now (used by close). */
  flushAll(): void {
    this.scheduled = false;
    while (this.queue.length > 0) this.flush(this.queue.splice(0, MAX_BATCH));
  }

  private flush(batch: Pending[]): void {
    const { memory, durable, isVolatile } = this.deps;
    const base = this.revision;
    const overlay = new Map<string, KV | undefined>();
    const changes: Change[] = [];
    const outcomes = batch.map((p) => {
      try {
        return this.plan(p.m, overlay, changes);
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err)); // a failed read: this write only
      }
    });
    if (changes.length > 0) {
      const onDisk = durable ? changes.filter((c) => !isVolatile(c.kv.key)) : [];
      const inMemory = durable ? changes.filter((c) => isVolatile(c.kv.key)) : changes;
      const ceiling = this.revision > this.ceiling ? this.revision + CEILING_BLOCK : undefined;
      if (durable && (onDisk.length > 0 || ceiling !== undefined)) {
        try {
          durable.commit(onDisk, ceiling);
        } catch (err) {
          this.revision = base;
          this.deps.logger.error('store commit failed', { err, mutations: batch.length });
          for (const p of batch) p.reject(err);
          return;
        }
        if (ceiling !== undefined) this.ceiling = ceiling;
      }
      memory.apply(inMemory);
      this.deps.published(changes, this.revision);
    }
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o instanceof Error) p.reject(o);
      else p.resolve(o);
    });
  }

  private plan(m: Mutation, overlay: Map<string, KV | undefined>, changes: Change[]): KV | Error {
    const cur = overlay.has(m.key) ? overlay.get(m.key) : this.current(m.key);
    if (m.op === 'create' && cur) return new KeyExistsError(m.key);
    if (m.op !== 'create') {
      if (!cur) return new NotFoundError(m.key);
      if (m.expected !== undefined && cur.modRevision !== m.expected) return new ConflictError(m.key, m.expected, cur);
    }
    const rev = ++this.revision;
    let change: Change;
    if (m.op === 'delete') {
      const tomb = Object.freeze<KV>({ key: m.key, value: cur!.value, createRevision: cur!.createRevision, modRevision: rev, version: 0 });
      change = Object.freeze<Change>({ type: 'delete', kv: tomb, prevKv: cur! });
      overlay.set(m.key, undefined);
    } else {
      const kv: KV = { key: m.key, value: m.value, createRevision: cur?.createRevision ?? rev, modRevision: rev, version: (cur?.version ?? 0) + 1 };
      if (m.ttlSeconds !== undefined) kv.expiresAt = Math.round(this.deps.clock.now() + m.ttlSeconds * 1000);
      Object.freeze(kv);
      change = Object.freeze<Change>(cur ? { type: 'put', kv, prevKv: cur } : { type: 'put', kv });
      overlay.set(m.key, kv);
    }
    changes.push(change);
    return change.kv;
  }

  private current(key: string): KV | undefined {
    const { durable, memory, isVolatile } = this.deps;
    if (!durable || isVolatile(key)) return memory.getCurrent(key);
    const kv = durable.getCurrent(key);
    return kv && Object.freeze(kv); // it becomes a shared prevKv / ConflictError.current
  }
}
