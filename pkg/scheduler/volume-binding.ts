import type { Client, InformerFactory } from '../api/client/index.ts';
import { isNotFound } from '../api/status.ts';
import type { core, KObject, storage } from '../api/types/index.ts';
import type { Filter } from './filters.ts';
import { findVolume, selectedNodeAnnotation, volumeFitsNode } from './volume-match.ts';

type Pod = core.Pod;
type Claim = core.PersistentVolumeClaim & KObject;
type Volume = core.PersistentVolume & KObject;
type StorageClass = storage.StorageClass & KObject;

export interface VolumeBinding {
  /** A reason no node can take the pod (missing, terminating or unbound Immediate claims), before any node is tried. */
  preFilter(pod: Pod): string | undefined;
  /** Upstream's VolumeBinding filter: bound volumes' node affinity, and whether unbound claims can be met on the node. */
  filter: Filter;
  /**
   * Before the pod is bound: each unbound WaitForFirstConsumer claim learns the node
   * (volume.kubernetes.io/selected-node); resolves once they are all bound, throws after 60 s.
   */
  preBind(pod: Pod, node: string, stopped: () => boolean): Promise<void>;
  /** Calls `retry` when claims, volumes or classes change what may fit. */
  onChange(retry: () => void): void;
}

/** How long a pod waits in pre-binding for its claims (upstream's bind timeout is 600 s). */
const bindTimeoutMs = 60_000;

const claimNames = (pod: Pod) => (pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);

/**
 * Volumes in scheduling, as upstream's VolumeBinding plugin with its messages: a missing or
 * terminating claim, or an unbound claim of an Immediate class, keeps the pod off every node; a
 * bound claim's volume must allow the node by its node affinity; an unbound WaitForFirstConsumer
 * claim needs a matching volume that fits the node or a class with a provisioner. The chosen
 * node is written on such claims before the pod is bound, which is what the provisioner waits for.
 */
export function volumeBinding(client: Client, informers: InformerFactory): VolumeBinding {
  const claims = informers.informer<Claim>('v1', 'persistentvolumeclaims');
  const volumes = informers.informer<Volume>('v1', 'persistentvolumes');
  const classes = informers.informer<StorageClass>('storage.k8s.io/v1', 'storageclasses');
  const claimOf = (pod: Pod, name: string) => claims.get(`${pod.metadata?.namespace ?? 'default'}/${name}`);
  const delayed = (c: Claim) => {
    const cls = c.spec?.storageClassName ? classes.get(c.spec.storageClassName) : undefined;
    return cls?.volumeBindingMode === 'WaitForFirstConsumer' ? cls : undefined;
  };

  function preFilter(pod: Pod): string | undefined {
    for (const name of claimNames(pod)) {
      const c = claimOf(pod, name);
      if (!c) return `persistentvolumeclaim "${name}" not found`;
      if (c.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
      if (c.spec?.volumeName && !volumes.get(c.spec.volumeName)) return 'pvc(s) bound to non-existent pv(s)';
      if (c.spec?.volumeName) continue;
      const className = c.spec?.storageClassName;
      if (className && !classes.get(className)) return `storageclass.storage.k8s.io "${className}" not found`;
      if (!delayed(c)) return 'pod has unbound immediate PersistentVolumeClaims';
    }
    return undefined;
  }

  const filter: Filter = (pod, { node }) => {
    const reasons = new Set<string>();
    for (const name of claimNames(pod)) {
      const c = claimOf(pod, name);
      if (!c) continue;
      if (c.spec?.volumeName) {
        const pv = volumes.get(c.spec.volumeName);
        if (pv && !volumeFitsNode(pv, node)) reasons.add('node(s) had volume node affinity conflict');
        continue;
      }
      const cls = delayed(c);
      if (!cls) continue;
      const provisionable = !!cls.provisioner && cls.provisioner !== 'kubernetes.io/no-provisioner';
      if (!provisionable && !findVolume(c, volumes.list(), node)) reasons.add("node(s) didn't find available persistent volumes to bind");
    }
    return reasons.size ? [...reasons] : undefined;
  };

  async function preBind(pod: Pod, node: string, stopped: () => boolean): Promise<void> {
    const waiting: string[] = [];
    for (const name of claimNames(pod)) {
      const c = claimOf(pod, name);
      if (!c || c.spec?.volumeName || !delayed(c)) continue;
      waiting.push(name);
      if (c.metadata.annotations?.[selectedNodeAnnotation] === node) continue;
      try {
        await client.resource<Claim>('v1', 'persistentvolumeclaims').patch(c.metadata.namespace, name, 'merge', { metadata: { annotations: { [selectedNodeAnnotation]: node } } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    // As upstream's PreBind: the pod is bound once its claims are, so its node never has to
    // mount a claim that is still being provisioned.
    const deadline = Date.now() + bindTimeoutMs;
    while (waiting.some((n) => !claimOf(pod, n)?.spec?.volumeName)) {
      if (stopped()) throw new Error('scheduler stopped');
      if (Date.now() > deadline) throw new Error(`timed out waiting for the claims of the pod to be bound: ${waiting.join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    preFilter,
    filter,
    preBind,
    onChange(retry) {
      claims.onAdd(retry);
      claims.onUpdate((o, c) => {
        if (o.spec?.volumeName !== c.spec?.volumeName || o.metadata.deletionTimestamp !== c.metadata.deletionTimestamp) retry();
      });
      volumes.onAdd(retry);
      volumes.onUpdate(retry);
      classes.onAdd(retry);
    },
  };
}
