import type { KObject } from '../types/index.ts';

/** Computes the values an object is filed under in one index (client-go's IndexFunc). */
export type IndexFunc<T> = (obj: T) => string[];

/** The built-in index: objects by `metadata.namespace` ('' for cluster-scoped ones). */
export const namespaceIndex = 'namespace';

/**
 * An informer's in-memory store: objects by key plus secondary indexes (client-go's
 * threadSafeStore, without threads). Objects are kept as given — informers deep-freeze them
 * first — and returned without copying.
 */
export class IndexedCache<T extends KObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor() {
    this.addIndexer(namespaceIndex, (o) => [o.metadata.namespace ?? '']);
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Stores `obj` under `key`; returns what was there. */
  set(key: string, obj: T): T | undefined {
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (old) {
      this.unindex(key, old);
      this.items.delete(key);
    }
    return old;
  }

  /** Objects filed under `value` in index `name`; throws for an index never added. */
  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`informer index "${name}" does not exist`);
    return [...(index.get(value) ?? [])].map((k) => this.items.get(k)!);
  }

  /** Adds an index (current objects are indexed at once); throws if the name is taken. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) throw new Error(`informer index "${name}" already exists`);
    this.indexers.set(name, fn);
    this.indices.set(name, new Map());
    for (const [key, obj] of this.items) this.indexOne(name, fn, key, obj);
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) this.indexOne(name, fn, key, obj);
  }

  private indexOne(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.indices.get(name)!;
    for (const v of new Set(fn(obj))) {
      let keys = index.get(v);
      if (!keys) index.set(v, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of new Set(fn(obj))) {
        const keys = index.get(v);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(v);
      }
    }
  }
}
