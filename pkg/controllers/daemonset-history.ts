import type { Client, Informer } from '../api/client/index.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import type { apps, KObject } from '../api/types/index.ts';
import { controllerOf } from './runtime/index.ts';
import { ownedRevisions, revisionData, revisionsToPrune, sameData, type Revision } from './statefulset-revisions.ts';

type DaemonSet = apps.DaemonSet & KObject;

/** The label a DaemonSet's pods and revisions carry with the template's hash. */
export const daemonHashLabel = 'controller-revision-hash';

/**
 * A DaemonSet's history as upstream keeps it, in ControllerRevisions (`kubectl rollout history`
 * and `undo` read them): one `<name>-<hash>` per template, labelled like the pods so the set's
 * selector finds them, numbered in the order the templates were last current — a template that
 * comes back (after `rollout undo`) is renumbered as the newest instead of copied. Revisions no
 * pod runs are pruned beyond revisionHistoryLimit (10).
 */
export async function syncDaemonHistory(client: Client, revisions: Informer<Revision>, ds: DaemonSet, hash: string, liveHashes: Set<string>): Promise<void> {
  const api = client.resource<Revision>('apps/v1', 'controllerrevisions');
  const ns = ds.metadata.namespace!;
  const owned = ownedRevisions(ds, revisions.byIndex('namespace', ns));
  const top = owned.at(-1)?.revision ?? 0;
  const data = revisionData(ds);
  const cur = owned.find((r) => sameData(r.data, data));
  if (cur && cur !== owned.at(-1)) {
    await api.patch(ns, cur.metadata.name!, 'merge', { revision: top + 1 });
  } else if (!cur) {
    const fresh: Revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `${ds.metadata.name}-${hash}`,
        namespace: ns,
        labels: { ...ds.spec?.template?.metadata?.labels, [daemonHashLabel]: hash },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name!, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      data,
      revision: top + 1,
    };
    await api.create(ns, fresh).catch(async (err: unknown) => {
      if (!isAlreadyExists(err)) throw err;
      // Ours already (a cache that lags): make it the newest. Someone else's: leave it be.
      const existing = await api.get(ns, fresh.metadata.name!);
      if (controllerOf(existing)?.uid === ds.metadata.uid) await api.patch(ns, fresh.metadata.name!, 'merge', { revision: top + 1 });
    });
  }
  const live = new Set([...liveHashes, hash].map((h) => `${ds.metadata.name}-${h}`));
  for (const r of revisionsToPrune(ds, owned, live)) {
    await api.delete(ns, r.metadata.name!, {}).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
}
