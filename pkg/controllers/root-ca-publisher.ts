import { keyOf, type Client, type InformerFactory } from '../api/client/index.ts';
import { isAlreadyExists, isNotFound } from '../api/status.ts';
import type { core, KObject } from '../api/types/index.ts';
import type { Component, Logger } from '../util/index.ts';
import { controllerLoop, WorkQueue } from './runtime/index.ts';

type Namespace = core.Namespace & KObject;
type ConfigMap = core.ConfigMap & KObject;

export const rootCaName = 'kube-root-ca.crt';
const description = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/**
 * Upstream's root-ca-cert-publisher: every active namespace has a ConfigMap `kube-root-ca.crt`
 * whose `ca.crt` is the cluster CA (what pods' kube-api-access volumes project), recreated when
 * deleted and put back when changed.
 */
export function rootCaPublisher(client: Client, informers: InformerFactory, caCert: () => string, log: Logger): Component {
  const namespaces = informers.informer<Namespace>('v1', 'namespaces');
  const configMaps = informers.informer<ConfigMap>('v1', 'configmaps', { fieldSelector: `metadata.name=${rootCaName}` });
  const api = client.resource<ConfigMap>('v1', 'configmaps');
  const queue = new WorkQueue();

  async function reconcile(ns: string): Promise<void> {
    const n = namespaces.get(ns);
    if (!n || n.metadata.deletionTimestamp || n.status?.phase === 'Terminating') return;
    const data = { 'ca.crt': caCert() };
    const cur = configMaps.get(`${ns}/${rootCaName}`);
    if (!cur) {
      try {
        await api.create(ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: rootCaName, namespace: ns, annotations: { 'kubernetes.io/description': description } }, data });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      return;
    }
    if (cur.data?.['ca.crt'] === data['ca.crt'] && Object.keys(cur.data).length === 1 && cur.metadata.annotations?.['kubernetes.io/description'] === description) return;
    const next = structuredClone(cur);
    next.data = data;
    next.metadata.annotations = { ...next.metadata.annotations, 'kubernetes.io/description': description };
    try {
      await api.update(ns, next);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const loop = controllerLoop('root-ca-cert-publisher', queue, reconcile, log, 1);
  return {
    name: 'root-ca-cert-publisher',
    async start(signal) {
      namespaces.onAdd((n) => queue.add(keyOf(n)));
      namespaces.onUpdate((_o, n) => queue.add(keyOf(n)));
      const byConfigMap = (cm: ConfigMap) => queue.add(cm.metadata.namespace!);
      configMaps.onUpdate((_o, cm) => byConfigMap(cm));
      configMaps.onDelete(byConfigMap);
      await loop.start(signal);
    },
    stop: () => loop.stop!(),
  };
}
