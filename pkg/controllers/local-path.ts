import { isAlreadyExists } from '../api/status.ts';
import type { Client } from '../api/client/index.ts';
import type { core, KObject, storage } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';

export type Claim = core.PersistentVolumeClaim & KObject;
export type Volume = core.PersistentVolume & KObject;
export type StorageClass = storage.StorageClass & KObject;
type Node = core.Node & KObject;

/** k3s's provisioner name, so manifests written for k3s find their class; skiff's own is accepted too. */
export const localPathProvisioner = 'rancher.io/local-path';
const ourProvisioners = new Set([localPathProvisioner, 'skiff.io/local-path']);
export const isLocalPath = (provisioner: string | undefined) => ourProvisioners.has(provisioner ?? '');

/**
 * The node annotation where an agent publishes the host directory that holds its local-path
 * volumes (`<agent data dir>/storage`): only the agent knows its own data dir.
 */
export const storageDirAnnotation = 'skiff.io/local-storage-path';
export const selectedNodeAnnotation = 'volume.kubernetes.io/selected-node';

/** k3s's default class: created at server start when no StorageClass of that name exists. */
export function defaultStorageClass(client: Client, log: Logger): Component {
  return {
    name: 'local-path-storage-class',
    async start() {
      const cls: StorageClass = {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        provisioner: localPathProvisioner,
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'WaitForFirstConsumer',
      };
      try {
        await client.resource<StorageClass>('storage.k8s.io/v1', 'storageclasses').create(undefined, cls);
        log.info('created the default StorageClass local-path');
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    },
  };
}

/**
 * The PersistentVolume local-path provisions for `claim` on `node`: a hostPath directory named
 * after the volume under the node's storage directory, pinned to that node by node affinity,
 * pre-bound to the claim (as external provisioners do) so only that claim can take it.
 */
export function localPathVolume(claim: Claim, cls: StorageClass, node: Node): Volume | undefined {
  const dir = node.metadata.annotations?.[storageDirAnnotation];
  if (!dir) return undefined;
  const name = `pvc-${claim.metadata.uid}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': cls.provisioner, 'local.path.provisioner/selected-node': node.metadata.name! } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: (cls.reclaimPolicy ?? 'Delete') as 'Delete' | 'Retain',
      storageClassName: cls.metadata.name,
      volumeMode: 'Filesystem',
      hostPath: { path: `${dir.replace(/\/+$/, '')}/${name}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node.metadata.labels?.['kubernetes.io/hostname'] ?? node.metadata.name!] }] }] } },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion },
    },
  };
}
