import { createInformerFactory, type Client, type InformerFactory } from '../api/client/index.ts';
import type { Component, Logger } from '../util/index.ts';

export { defaultClusterCIDR, nodeIpam } from './node-ipam.ts';
export { replicaSetController } from './replicaset.ts';
export { deploymentController } from './deployment.ts';
export { garbageCollector } from './garbage-collector.ts';
export { namespaceController } from './namespace.ts';
export { serviceAccountController } from './service-account.ts';
export { rootCaPublisher, rootCaName } from './root-ca-publisher.ts';
export { tokenCleaner } from './token-cleaner.ts';
export { systemPriorityClassesBootstrap } from './system-priority-classes.ts';
export { nodePasswordCleaner } from './node-password-cleaner.ts';
export { endpointsController } from './endpoints.ts';
export { enableLbLabel, loadBalancerIPs, serviceLbController } from './service-lb.ts';
export { ingressController } from './ingress.ts';
export { nodeLifecycle, notReadyTaint, unreachableTaint } from './node-lifecycle.ts';
export { jobController } from './job.ts';
export { cronJobController } from './cronjob.ts';
export { daemonSetController } from './daemonset.ts';
export { statefulSetController } from './statefulset.ts';
export { horizontalPodAutoscalerController } from './horizontal-pod-autoscaler.ts';
export type { HpaOptions } from './horizontal-pod-autoscaler.ts';
export { persistentVolumeController } from './persistent-volume.ts';
export { storageProtectionController } from './storage-protection.ts';
export { defaultStorageClass, localPathProvisioner, storageDirAnnotation } from './local-path.ts';
export { disruptionController, disruptionDeletionTimeoutMs } from './disruption.ts';
export { stalePodDisruptionTimeoutMs } from './disruption-stale.ts';
export { resourceQuotaController } from './resource-quota.ts';

/** Makes one control loop over the shared client and informers. */
export type LoopFactory = (client: Client, informers: InformerFactory, log: Logger) => Component;

/**
 * The control loops `skiff server` runs (controllers and the scheduler), sharing one informer
 * factory so each resource is watched once (DESIGN.md §5). `client` is read at start, once the
 * API it talks to is up.
 */
export function controlLoops(client: () => Client, loops: LoopFactory[], log: Logger): Component {
  let informers: InformerFactory | undefined;
  let parts: Component[] = [];
  return {
    name: 'control-loops',
    async start(signal) {
      const c = client();
      informers = createInformerFactory(c, { log });
      parts = loops.map((make) => make(c, informers!, log));
      for (const p of parts) await p.start(signal);
      informers.start();
      await informers.waitForSync(signal);
    },
    async stop() {
      for (const p of [...parts].reverse()) await p.stop?.();
      await informers?.stop();
    },
  };
}
