import type { Store } from '../../store/index.ts';
import type { WriteAllocator } from '../registry/write-allocator.ts';
import { storagePrefix } from '../registry/keys.ts';
import type { ResourceDef } from '../resource.ts';
import { allocate, allocationsOf, ownerKey, type Allocations } from './allocation.ts';
import type { ServiceRanges } from './ranges.ts';

/**
 * The registry's allocator for core/v1 Services. Every service write runs alone and starts by
 * reading what all stored services hold, so the state survives restarts and frees values on
 * deletes and type changes without any bookkeeping of its own.
 */
export function serviceAllocator(ranges: ServiceRanges, random: () => number = Math.random): WriteAllocator {
  let tail: Promise<unknown> = Promise.resolve();
  let held: Allocations | undefined;
  return {
    covers: (def: ResourceDef) => def.group === '' && def.plural === 'services',
    exclusive<T>(store: Store, def: ResourceDef, write: () => Promise<T>): Promise<T> {
      const run = async () => {
        const { items } = await store.list(storagePrefix(def));
        held = allocationsOf(items.map((kv) => JSON.parse(kv.value)));
        try {
          return await write();
        } finally {
          held = undefined;
        }
      };
      const result = tail.then(run, run);
      tail = result.catch(() => undefined);
      return result;
    },
    assign(obj, old) {
      if (!held) throw new Error('service allocation outside of an exclusive write');
      const me = ownerKey(obj);
      // The service's own stored values are its to keep or give up.
      const others: Allocations = {
        ips: new Map([...held.ips].filter(([, k]) => k !== me)),
        ports: new Map([...held.ports].filter(([, k]) => k !== me)),
      };
      return allocate(obj, old, others, ranges, random);
    },
  };
}
