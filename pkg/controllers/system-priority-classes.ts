import type { Client, InformerFactory } from '../api/client/index.ts';
import { systemPriorityClasses } from '../api/resources/scheduling.ts';
import { isAlreadyExists } from '../api/status.ts';
import type { Component, Logger } from '../util/index.ts';

/**
 * The two system PriorityClasses (system-node-critical, system-cluster-critical), created at start
 * when missing, as kube-apiserver's post-start hook does; they are not recreated while running.
 */
export function systemPriorityClassesBootstrap(client: Client, _informers: InformerFactory, log: Logger): Component {
  return {
    name: 'system-priority-classes',
    async start() {
      const api = client.resource('scheduling.k8s.io/v1', 'priorityclasses');
      for (const [name, c] of Object.entries(systemPriorityClasses)) {
        try {
          await api.create(undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: c.value, description: c.description, preemptionPolicy: 'PreemptLowerPriority' });
          log.info('created a system PriorityClass', { name });
        } catch (err) {
          if (!isAlreadyExists(err)) log.warn('could not create a system PriorityClass', { name, err: (err as Error).message });
        }
      }
    },
  };
}
