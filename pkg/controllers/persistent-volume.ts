import { EventRecorder, keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import { findVolume, isPreboundTo, selectedNodeAnnotation } from '../scheduler/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { isLocalPath, localPathVolume, storageDirAnnotation, type Claim, type StorageClass, type Volume } from './local-path.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Node = core.Node & KObject;
type Pod = core.Pod & KObject;

const claimKind = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';
const isDefaultClass = (c: StorageClass) => ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'].some((a) => c.metadata.annotations?.[a] === 'true');

/**
 * The PersistentVolume controller with the local-path provisioner (upstream's binder plus k3s's
 * provisioner): a pending claim binds to a matching volume (pre-bound first, else the smallest
 * that satisfies class, mode, access modes, size and selector) or, when its class is local-path,
 * gets one provisioned on a node: the scheduler's selected node for WaitForFirstConsumer, any
 * Ready node with a storage directory for Immediate. Volumes go Available → Bound → Released
 * when their claim is gone; reclaim Delete then deletes a local-path volume (its node's agent
 * removes the directory), Retain keeps it Released. Work keys are `claim:<ns>/<name>` and
 * `volume:<name>`.
 */
export function persistentVolumeController(client: Client, informers: InformerFactory, log: Logger, now: () => number = Date.now): Component {
  const claims = informers.informer<Claim>('v1', 'persistentvolumeclaims');
  const volumes = informers.informer<Volume>('v1', 'persistentvolumes');
  const classes = informers.informer<StorageClass>('storage.k8s.io/v1', 'storageclasses');
  const nodes = informers.informer<Node>('v1', 'nodes');
  const pods = informers.informer<Pod>('v1', 'pods');
  const queue = new WorkQueue();
  const events = new EventRecorder(client, { component: 'persistentvolume-controller' }, log);
  const claimClient = client.resource<Claim>('v1', 'persistentvolumeclaims');
  const volumeClient = client.resource<Volume>('v1', 'persistentvolumes');
  const told = new Map<string, string>(); // claim uid → reason of the last waiting event, said once

  const say = (claim: Claim, type: 'Normal' | 'Warning', reason: string, message: string) => {
    if (told.get(claim.metadata.uid!) === reason) return;
    told.set(claim.metadata.uid!, reason);
    events.record(claim, { type, reason, message }, undefined, claimKind);
  };

  async function reconcile(key: string): Promise<void> {
    const [what, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (what === 'claim') return syncClaim(name);
    return syncVolume(name);
  }

  /** The node a WaitForFirstConsumer claim is for: the scheduler's choice, or where a pod using it already runs. */
  function consumerNode(claim: Claim): string | undefined {
    const selected = claim.metadata.annotations?.[selectedNodeAnnotation];
    if (selected) return selected;
    return pods.byIndex('namespace', claim.metadata.namespace ?? '').find((p) => p.spec?.nodeName && !p.metadata.deletionTimestamp
      && (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name))?.spec?.nodeName;
  }

  async function syncClaim(key: string): Promise<void> {
    const claim = claims.get(key);
    if (!claim || claim.metadata.deletionTimestamp) return;
    const wanted = claim.spec?.volumeName;
    if (wanted) {
      const pv = volumes.get(wanted);
      if (!pv) {
        if (claim.status?.phase === 'Bound') await claimStatus(claim, { phase: 'Lost' });
        return;
      }
      if (!pv.spec?.claimRef || isPreboundTo(pv, claim)) await bind(pv, claim);
      return;
    }
    if ((claim.spec?.storageClassName === undefined || claim.spec.storageClassName === null) && !claim.metadata.annotations?.[betaClassAnnotation]) {
      // Retroactive default class: a claim made while no class was the default gets today's.
      const dflt = classes.list().filter(isDefaultClass).sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
      if (dflt) {
        await claimClient.patch(claim.metadata.namespace, claim.metadata.name!, 'merge', { metadata: { uid: claim.metadata.uid }, spec: { storageClassName: dflt.metadata.name } });
        return;
      }
    }
    const cls = claim.spec?.storageClassName ? classes.get(claim.spec.storageClassName) : undefined;
    const waitForConsumer = cls?.volumeBindingMode === 'WaitForFirstConsumer';
    const nodeName = waitForConsumer ? consumerNode(claim) : undefined;
    if (waitForConsumer && !nodeName) {
      return say(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    }
    const node = nodeName ? nodes.get(nodeName) : undefined;
    if (nodeName && !node) {
      say(claim, 'Warning', 'ProvisioningFailed', `node "${nodeName}" not found`);
      // As external-provisioner's rescheduling: forget the node so the scheduler can choose again.
      if (claim.metadata.annotations?.[selectedNodeAnnotation] === nodeName) {
        await claimClient.patch(claim.metadata.namespace, claim.metadata.name!, 'merge', { metadata: { annotations: { [selectedNodeAnnotation]: null }, uid: claim.metadata.uid } });
      }
      return;
    }
    const match = findVolume(claim, volumes.list(), node);
    if (match) return bind(match, claim);
    if (!cls) {
      const why = claim.spec?.storageClassName ? `storageclass.storage.k8s.io "${claim.spec.storageClassName}" not found` : 'no persistent volumes available for this claim and no storage class is set';
      return say(claim, 'Warning', claim.spec?.storageClassName ? 'ProvisioningFailed' : 'FailedBinding', why);
    }
    if (!isLocalPath(cls.provisioner)) {
      return say(claim, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${cls.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
    }
    const target = node ?? nodes.list().filter((n) => n.metadata.annotations?.[storageDirAnnotation] && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))[0];
    if (!target) return say(claim, 'Warning', 'ProvisioningFailed', 'no Ready node reports a local-path storage directory');
    if ((claim.spec?.accessModes ?? []).some((m) => m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod')) {
      return say(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata.name}": Only support ReadWriteOnce, ReadWriteOncePod access mode`);
    }
    const pv = localPathVolume(claim, cls, target);
    if (!pv) return say(claim, 'Warning', 'ProvisioningFailed', `node "${target.metadata.name}" has not reported its local-path storage directory yet`);
    say(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`);
    try {
      await volumeClient.create(undefined, pv);
      events.record(claim, { type: 'Normal', reason: 'ProvisioningSucceeded', message: `Successfully provisioned volume ${pv.metadata.name}` }, undefined, claimKind);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  /** Both halves of the binding, each idempotent: volume claimRef and phase, claim volumeName and status. */
  async function bind(pv: Volume, claim: Claim): Promise<void> {
    if (!pv.spec?.claimRef?.uid) {
      const claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion };
      // The volume's resourceVersion makes this a compare-and-swap: two claims never take one volume.
      pv = await volumeClient.patch(undefined, pv.metadata.name!, 'merge', { metadata: { resourceVersion: pv.metadata.resourceVersion, annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } }, spec: { claimRef } });
    }
    if (pv.status?.phase !== 'Bound') await setPhase(pv.metadata.name!, 'Bound');
    if (claim.spec?.volumeName !== pv.metadata.name || claim.metadata.annotations?.['pv.kubernetes.io/bind-completed'] !== 'yes') {
      const annotations: Record<string, string> = { 'pv.kubernetes.io/bind-completed': 'yes' };
      if (!claim.spec?.volumeName) annotations['pv.kubernetes.io/bound-by-controller'] = 'yes';
      claim = await claimClient.patch(claim.metadata.namespace, claim.metadata.name!, 'merge', { metadata: { annotations, uid: claim.metadata.uid }, spec: { volumeName: pv.metadata.name } });
    }
    await claimStatus(claim, { phase: 'Bound', capacity: pv.spec?.capacity, accessModes: pv.spec?.accessModes });
    told.delete(claim.metadata.uid!);
  }

  async function claimStatus(claim: Claim, status: core.PersistentVolumeClaimStatus): Promise<void> {
    const cur = claim.status ?? {};
    if (cur.phase === status.phase && JSON.stringify(cur.capacity) === JSON.stringify(status.capacity) && JSON.stringify(cur.accessModes) === JSON.stringify(status.accessModes)) return;
    await claimClient.patch(claim.metadata.namespace, claim.metadata.name!, 'merge', { status }, { subresource: 'status' });
  }

  /** A phase change stamps lastPhaseTransitionTime, as upstream's volume status strategy does. */
  async function setPhase(name: string, phase: string, message?: string): Promise<void> {
    const lastPhaseTransitionTime = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await volumeClient.patch(undefined, name, 'merge', { status: { phase, lastPhaseTransitionTime, ...(message ? { message } : { message: null }) } }, { subresource: 'status' });
  }

  async function syncVolume(name: string): Promise<void> {
    const pv = volumes.get(name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref) {
      if (pv.status?.phase !== 'Available') await setPhase(name, 'Available');
      return;
    }
    const cached = claims.get(`${ref.namespace}/${ref.name}`);
    if (cached && (!ref.uid || cached.metadata.uid === ref.uid)) {
      queue.add(`claim:${keyOf(cached)}`);
      return;
    }
    // The cache may lag a claim that was just created: only a live read says it is gone.
    const live = await claimClient.get(ref.namespace, ref.name!).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (live && (!ref.uid || live.metadata.uid === ref.uid)) return;
    if (!ref.uid) return; // pre-bound by a user to a claim that does not exist yet: it waits for it
    const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') {
      await setPhase(name, 'Released');
    }
    if (policy === 'Delete' && isLocalPath(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'])) {
      await volumeClient.delete(undefined, name, { preconditions: { uid: pv.metadata.uid } }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    } else if (policy !== 'Retain' && pv.status?.phase !== 'Failed') {
      const message = `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
      await setPhase(name, 'Failed', message);
      events.record(pv, { type: 'Warning', reason: 'VolumeFailedDelete', message }, undefined, { apiVersion: 'v1', kind: 'PersistentVolume' });
    }
  }

  const loop = controllerLoop('persistentvolume-binder', queue, reconcile, log);
  const claimKey = (c: Claim) => queue.add(`claim:${keyOf(c)}`);
  const volumeKey = (v: Volume) => queue.add(`volume:${v.metadata.name}`);
  // A class, node or pod may be what a waiting claim needs: look at the claims not yet bound.
  const pendingClaims = (ns?: string) => {
    for (const c of ns === undefined ? claims.list() : claims.byIndex('namespace', ns)) if (!c.spec?.volumeName) claimKey(c);
  };
  return {
    name: 'persistentvolume-binder',
    async start(signal) {
      claims.onAdd(claimKey);
      claims.onUpdate((_o, c) => claimKey(c));
      claims.onDelete((c) => {
        told.delete(c.metadata.uid!);
        if (c.spec?.volumeName) queue.add(`volume:${c.spec.volumeName}`);
      });
      volumes.onAdd(volumeKey);
      volumes.onUpdate((_o, v) => volumeKey(v));
      volumes.onDelete((v) => {
        if (v.spec?.claimRef) queue.add(`claim:${v.spec.claimRef.namespace}/${v.spec.claimRef.name}`);
        pendingClaims();
      });
      classes.onAdd(() => pendingClaims());
      classes.onUpdate(() => pendingClaims());
      nodes.onUpdate((o, n) => {
        if (o.metadata.annotations?.[storageDirAnnotation] !== n.metadata.annotations?.[storageDirAnnotation]) pendingClaims();
      });
      pods.onUpdate((o, p) => {
        if (!o.spec?.nodeName && p.spec?.nodeName && p.spec.volumes?.some((v) => v.persistentVolumeClaim)) pendingClaims(p.metadata.namespace);
      });
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
