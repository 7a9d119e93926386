import type { ResourceDef } from '../resource.ts';
import { notFound } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { KV } from '../../store/index.ts';
import { decode } from './codec.ts';
import type { RegistryContext } from './context.ts';
import { objectKey } from './keys.ts';
import { groupResourceOf } from './meta.ts';
import { readAtForGet, waitForRevision } from './resource-version.ts';
import { checkName, objectNamespace } from './scope.ts';
import { fromStoreError } from './store-errors.ts';

/** GET of one object: resourceVersion "" / "0" → current; N → current once the store reached N. */
export async function getObject(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, name: string, resourceVersion?: string): Promise<KObject> {
  const at = readAtForGet(resourceVersion);
  if (at.kind === 'notOlderThan') await waitForRevision(ctx, at.revision);
  const { kv } = await readCurrent(ctx, def, namespace, name);
  return decode(def, kv.value, kv.modRevision);
}

/** The live KV of one object, or 404. */
export async function readCurrent(ctx: RegistryContext, def: ResourceDef, namespace: string | undefined, name: string): Promise<{ key: string; kv: KV }> {
  checkName(name);
  const key = objectKey(def, objectNamespace(def, namespace), name);
  let kv: KV | undefined;
  try {
    kv = await ctx.store.get(key);
  } catch (err) {
    throw fromStoreError(err, def, name);
  }
  if (!kv) throw notFound(groupResourceOf(def), name);
  return { key, kv };
}
