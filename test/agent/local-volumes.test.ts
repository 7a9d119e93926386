import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localVolumes } from '../../pkg/agent/local-volumes.ts';
import { createInformerFactory, inProcessClient, type InformerFactory } from '../../pkg/api/client/index.ts';
import { createApiHandler } from '../../pkg/api/registry/index.ts';
import { resources } from '../../pkg/api/resources/index.ts';
import type { KObject } from '../../pkg/api/types/index.ts';
import { openStore } from '../../pkg/store/index.ts';
import { silentLogger } from '../../pkg/util/index.ts';

// The agent's half of local-path against the real registry over the memory store and a real
// temporary directory as its data dir.
let informers: InformerFactory | undefined;
let root = '';
afterEach(async () => {
  await informers?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`${what}: timed out`);
}

describe('localVolumes', () => {
  it('publishes its storage directory, resolves bound claims, and removes only directories of deleted provisioned volumes', async () => {
    root = mkdtempSync(join(tmpdir(), 'skiff-local-path-'));
    const storage = join(root, 'storage');
    const client = inProcessClient(createApiHandler({ store: await openStore('memory:'), resources }), resources);
    await client.resource('v1', 'namespaces').create(undefined, { metadata: { name: 'default' } });
    await client.resource('v1', 'nodes').create(undefined, { metadata: { name: 'n1' } });
    const live = `pvc-${randomUUID()}`;
    const gone = `pvc-${randomUUID()}`;
    const pv = (name: string, path: string): KObject => ({ metadata: { name }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path } } });
    await client.resource('v1', 'persistentvolumes').create(undefined, pv(live, join(storage, live)));
    await client.resource('v1', 'persistentvolumes').create(undefined, pv('by-hand', `${join(storage, 'mine', 'sub')}/`));
    await client.resource('v1', 'persistentvolumeclaims').create('default', { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: live, storageClassName: '' } });
    await client.resource('v1', 'persistentvolumeclaims').patch('default', 'data', 'merge', { status: { phase: 'Bound' } }, { subresource: 'status' });
    for (const d of [live, gone, 'mine/sub', 'notes']) mkdirSync(join(storage, d), { recursive: true });

    informers = createInformerFactory(client, { log: silentLogger });
    const local = localVolumes({ client, informers, nodeName: 'n1', dataDir: root, log: silentLogger });
    informers.start();
    await informers.waitForSync(new AbortController().signal);
    await local.start();

    expect((await client.resource('v1', 'nodes').get(undefined, 'n1')).metadata.annotations?.['skiff.io/local-storage-path']).toBe(storage);
    expect(local.claimPath('default', 'data')).toBe(join(storage, live));
    expect(local.claimPath('default', 'other')).toBeUndefined();
    // The leftover of a volume deleted while the agent was away goes; what a volume made by hand
    // uses, and anything not named like a provisioned volume, stays.
    expect([live, gone, 'mine/sub', 'notes'].map((d) => existsSync(join(storage, d)))).toEqual([true, false, true, true]);

    await client.resource('v1', 'persistentvolumes').patch(undefined, live, 'merge', { metadata: { finalizers: null } });
    await client.resource('v1', 'persistentvolumes').delete(undefined, live);
    await until('directory removed', () => !existsSync(join(storage, live)));
    expect(existsSync(join(storage, 'mine', 'sub'))).toBe(true);
  });
});
