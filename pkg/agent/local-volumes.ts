import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Client, InformerFactory } from '../api/client/index.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Logger } from '../util/index.ts';

/** The directories local-path provisions: `pvc-<claim uid>`. */
const provisionedName = /^pvc-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Claim = core.PersistentVolumeClaim & KObject;
type Volume = core.PersistentVolume & KObject;

/** Must equal the provisioner's (pkg/controllers/local-path.ts): the node annotation naming this agent's storage directory. */
const storageDirAnnotation = 'skiff.io/local-storage-path';

export interface LocalVolumes {
  /** Host directory of a bound claim's volume (hostPath or local); undefined while unbound. */
  claimPath(namespace: string, claim: string): string | undefined;
  /** After the informers synced: publish the storage directory on the Node, sweep leftovers. */
  start(): Promise<void>;
}

/**
 * The node half of local-path (k3s's helper pods, done in process): the agent publishes
 * `<data dir>/storage` on its Node so the provisioner can place volumes there, resolves claims to
 * their volume's directory for mounting, and removes a directory under it once no
 * PersistentVolume names it any more (the server deletes the volume on reclaim Delete). The sweep
 * runs only on a synced cache, at start and whenever a volume is deleted, so a directory is never
 * removed for a volume the agent has not heard of yet: directories are made at mount time, after
 * the volume is in the cache.
 */
export function localVolumes(opts: { client: Client; informers: InformerFactory; nodeName: string; dataDir: string; log: Logger }): LocalVolumes {
  const dir = resolve(opts.dataDir, 'storage');
  const claims = opts.informers.informer<Claim>('v1', 'persistentvolumeclaims');
  const volumes = opts.informers.informer<Volume>('v1', 'persistentvolumes');
  let synced = false;
  const pathOf = (pv: Volume) => pv.spec?.hostPath?.path ?? pv.spec?.local?.path;

  function sweep(): void {
    if (!synced) return;
    const live = volumes.list().map(pathOf).filter((p): p is string => !!p).map((p) => resolve(p));
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      // Only what the provisioner names is ever removed, and never a directory a volume still
      // uses, itself or below it (volumes made by hand may point anywhere).
      if (!provisionedName.test(e)) continue;
      const path = join(dir, e);
      if (live.some((p) => p === path || p.startsWith(`${path}/`))) continue;
      try {
        rmSync(path, { recursive: true, force: true });
        opts.log.info('removed the directory of a deleted local-path volume', { path });
      } catch (err) {
        opts.log.warn('could not remove a local-path volume directory', { path, err: (err as Error).message });
      }
    }
  }
  volumes.onDelete(sweep);

  return {
    claimPath(namespace, name) {
      const claim = claims.get(`${namespace}/${name}`);
      const pvName = claim?.spec?.volumeName;
      if (!pvName || claim.status?.phase !== 'Bound') return undefined;
      const pv = volumes.get(pvName);
      return pv ? pathOf(pv) : undefined;
    },
    async start() {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      await opts.client.resource('v1', 'nodes').patch(undefined, opts.nodeName, 'merge', { metadata: { annotations: { [storageDirAnnotation]: dir } } });
      synced = true;
      sweep();
    },
  };
}
