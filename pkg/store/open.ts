import { isAbsolute, resolve } from 'node:path';
import { StoreError } from './errors.ts';
import { openMemoryStore } from './memory.ts';
import type { StoreOptions } from './options.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

type Driver = (rest: string, options: StoreOptions) => Promise<Store>;

// Scheme → driver, as kine's endpoint registry. `rest` is what follows "scheme:".
const drivers: Record<string, Driver> = {
  memory: async (_rest, options) => openMemoryStore(options),
  sqlite: (rest, options) => {
    const path = rest.startsWith('//') ? rest.slice(2) : rest; // sqlite:///abs/path (URL style) too
    if (path === '') throw new StoreError('ERR_STORE_URL', 'sqlite: needs a path, e.g. sqlite:/var/lib/skiff/state.db');
    return openSqliteStore(isAbsolute(path) ? path : resolve(path), options);
  },
};

/**
 * Opens a store by URL: `memory:` (in-process) or `sqlite:/abs/path/state.db` (a relative path
 * is resolved against the working directory; the directory must exist). Throws StoreError
 * ERR_STORE_URL for an unknown scheme, ERR_STORE_LOCKED when the database is in use.
 */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const colon = url.indexOf(':');
  const scheme = url.slice(0, Math.max(colon, 0));
  const driver = Object.hasOwn(drivers, scheme) ? drivers[scheme] : undefined;
  if (!driver) throw new StoreError('ERR_STORE_URL', `unsupported store URL "${url}" (want memory: or sqlite:/path/to/state.db)`);
  return driver(url.slice(colon + 1), options);
}
