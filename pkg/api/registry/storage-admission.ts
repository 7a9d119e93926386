import type { ResourceDef } from '../resource.ts';
import type { KObject } from '../types/index.ts';
import type { RegistryContext } from './context.ts';
import { storagePrefix } from './keys.ts';
import { isCore } from './meta.ts';

const defaultAnnotations = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/**
 * The DefaultStorageClass admission plugin: a claim created without spec.storageClassName (absent
 * or null; "" explicitly asks for no class) gets the default StorageClass, the newest one when
 * several are marked default (upstream since 1.26). No default class: the claim is left as is.
 */
async function admitDefaultStorageClass(ctx: RegistryContext, obj: KObject): Promise<void> {
  const spec = (obj.spec ?? {}) as { storageClassName?: string | null };
  if ((spec.storageClassName !== undefined && spec.storageClassName !== null) || obj.metadata.annotations?.[betaClassAnnotation] !== undefined) return;
  const classes = ctx.resources.find((d) => d.group === 'storage.k8s.io' && d.plural === 'storageclasses');
  if (!classes) return;
  const { items } = await ctx.store.list(storagePrefix(classes));
  const defaults = items.map((kv) => JSON.parse(kv.value) as KObject).filter((c) => defaultAnnotations.some((a) => c.metadata.annotations?.[a] === 'true'));
  const newest = defaults.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
  if (newest) obj.spec = { ...spec, storageClassName: newest.metadata.name };
}

/**
 * The storage admission plugins upstream enables by default, for creates: StorageObjectInUseProtection
 * (every claim and volume carries its protection finalizer, which the storage-protection
 * controller removes once nothing uses it) and DefaultStorageClass for claims.
 */
export async function admitStorage(ctx: RegistryContext, def: ResourceDef, obj: KObject): Promise<void> {
  const claim = isCore(def, 'persistentvolumeclaims');
  if (!claim && !isCore(def, 'persistentvolumes')) return;
  const finalizer = claim ? 'kubernetes.io/pvc-protection' : 'kubernetes.io/pv-protection';
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
  if (claim) await admitDefaultStorageClass(ctx, obj);
}
