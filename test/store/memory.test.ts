import { describe, expect, it } from 'vitest';
import { openStore } from '../../pkg/store/index.ts';
import { runStoreConformance } from './conformance.ts';

runStoreConformance('memory', (opts) => openStore('memory:', opts));

describe('openStore', () => {
  it('rejects unknown schemes', async () => {
    for (const url of ['etcd://localhost', 'constructor:x', 'nope', '']) {
      await expect(openStore(url)).rejects.toMatchObject({ code: 'ERR_STORE_URL' });
    }
  });
});
