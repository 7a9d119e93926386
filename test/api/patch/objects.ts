import type { KObject } from '../../../pkg/api/types/index.ts';

/** A Deployment as the server stores it after `kubectl apply` of a two-container manifest. */
export function storedDeployment(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', generation: 1, labels: { app: 'web', tier: 'fe' }, finalizers: ['a/b'] },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'a', image: 'nginx:1.26', args: ['--a'],
              env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }],
            },
            { name: 'b', image: 'busybox' },
          ],
          volumes: [{ name: 'v1', emptyDir: {} }],
          tolerations: [{ key: 'k1', operator: 'Exists' }],
          restartPolicy: 'Always',
        },
      },
    },
    status: { replicas: 2 },
  };
}

export function storedNode(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
    spec: { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'], taints: [{ key: 'old', value: 'x', effect: 'NoSchedule' }] },
    status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }] },
  };
}
