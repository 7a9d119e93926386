import { type Client, type InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Claim = core.PersistentVolumeClaim & KObject;
type Volume = core.PersistentVolume & KObject;
type Pod = core.Pod & KObject;

const claimFinalizer = 'kubernetes.io/pvc-protection';
const volumeFinalizer = 'kubernetes.io/pv-protection';

const uses = (p: Pod, claim: string) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim);

/**
 * Upstream's pvc-protection and pv-protection controllers: a claim being deleted keeps its
 * finalizer while a pod that has not finished uses it (confirmed with a live list, as upstream
 * asks the API server, so a lagging cache never frees a claim in use); a volume being deleted
 * keeps its finalizer while it is Bound. Keys are `claim:<ns>/<name>` and `volume:<name>`.
 */
export function storageProtectionController(client: Client, informers: InformerFactory, log: Logger): Component {
  const claims = informers.informer<Claim>('v1', 'persistentvolumeclaims');
  const volumes = informers.informer<Volume>('v1', 'persistentvolumes');
  const pods = informers.informer<Pod>('v1', 'pods');
  const queue = new WorkQueue();

  async function release(apiVersion: string, plural: string, obj: KObject, finalizer: string): Promise<void> {
    const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    await client.resource(apiVersion, plural).patch(obj.metadata.namespace, obj.metadata.name!, 'merge', { metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: obj.metadata.resourceVersion } })
      .catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
  }

  async function reconcile(key: string): Promise<void> {
    const [what, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (what === 'claim') {
      const claim = claims.get(name);
      if (!claim?.metadata.deletionTimestamp || !claim.metadata.finalizers?.includes(claimFinalizer)) return;
      const ns = claim.metadata.namespace!;
      if (pods.byIndex('namespace', ns).some((p) => uses(p, claim.metadata.name!))) return;
      const live = await client.resource<Pod>('v1', 'pods').list(ns);
      if (live.items.some((p) => uses(p, claim.metadata.name!))) return;
      return release('v1', 'persistentvolumeclaims', claim, claimFinalizer);
    }
    const pv = volumes.get(name);
    if (!pv?.metadata.deletionTimestamp || !pv.metadata.finalizers?.includes(volumeFinalizer) || pv.status?.phase === 'Bound') return;
    return release('v1', 'persistentvolumes', pv, volumeFinalizer);
  }

  const loop = controllerLoop('pvc-protection', queue, reconcile, log);
  const claimKey = (c: Claim) => {
    if (c.metadata.deletionTimestamp) queue.add(`claim:${c.metadata.namespace}/${c.metadata.name}`);
  };
  const volumeKey = (v: Volume) => {
    if (v.metadata.deletionTimestamp) queue.add(`volume:${v.metadata.name}`);
  };
  // A pod that ends or goes may free the claims it used.
  const podChanged = (p: Pod) => {
    for (const v of p.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim) queue.add(`claim:${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
    }
  };
  return {
    name: 'storage-protection',
    async start(signal) {
      claims.onAdd(claimKey);
      claims.onUpdate((_o, c) => claimKey(c));
      volumes.onAdd(volumeKey);
      volumes.onUpdate((_o, v) => volumeKey(v));
      pods.onUpdate((o, p) => {
        if (o.status?.phase !== p.status?.phase) podChanged(p);
      });
      pods.onDelete(podChanged);
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
