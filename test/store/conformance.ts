import { describe } from 'vitest';
import { crudSuite } from './conformance-crud.ts';
import { compactionSuite, ttlSuite } from './conformance-lifecycle.ts';
import { listSuite } from './conformance-list.ts';
import { restartSuite, volatileSuite } from './conformance-restart.ts';
import { watchSuite } from './conformance-watch.ts';
import { harness, type Reopen, type StoreFactory } from './harness.ts';

export type { Reopen, StoreFactory } from './harness.ts';

/**
 * The behaviour every Store driver must have (Hono's runTest idea). `newStore` opens an empty
 * store with the given options; `reopen`, for drivers that persist, closes a store (cleanly or
 * as a crash would leave it) and opens its data again. Tests needing it are skipped without it.
 */
export function runStoreConformance(name: string, newStore: StoreFactory, reopen?: Reopen): void {
  describe(`Store conformance: ${name}`, () => {
    const h = harness(newStore, reopen);
    crudSuite(h);
    listSuite(h);
    watchSuite(h);
    ttlSuite(h);
    compactionSuite(h);
    volatileSuite(h);
    restartSuite(h);
  });
}
