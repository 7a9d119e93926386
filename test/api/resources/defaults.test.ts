import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { container, def, deployments, namespaces, pods, realCluster, services, workload } from './helpers.ts';

// Defaults as a 1.32 apiserver stores them (SetDefaults_* plus the default admission plugins),
// checked on what the registry returns from a create.

const spec = (o: KObject) => o.spec as any;

// The ServiceAccount admission plugin's volume and mount, as upstream adds them.
const accessName = expect.stringMatching(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
const accessVolume = {
  name: accessName,
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};
const accessMount = { name: accessName, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };

describe('pod defaults', () => {
  it('fills the pod spec and container fields upstream fills', async () => {
    const c = await realCluster();
    const p = await c.create(pods, 'default', { metadata: { name: 'p' }, spec: { containers: [container({ ports: [{ containerPort: 80 }] })] } });
    expect(p.spec).toEqual({
      containers: [{
        name: 'c', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {},
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', volumeMounts: [accessMount],
      }],
      volumes: [accessVolume],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
      enableServiceLinks: true, priority: 0, preemptionPolicy: 'PreemptLowerPriority', serviceAccountName: 'default', serviceAccount: 'default',
    });
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it.each([
    ['nginx', 'Always'], ['nginx:latest', 'Always'], ['nginx:1.27', 'IfNotPresent'], ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'], ['nginx@sha256:0123456789012345678901234567890123456789012345678901234567890123', 'IfNotPresent'],
    ['nginx:latest@sha256:0123456789012345678901234567890123456789012345678901234567890123', 'Always'], ['Bad/Image', 'IfNotPresent'],
  ])('imagePullPolicy for %s is %s', async (image, policy) => {
    const c = await realCluster();
    const p = await c.create(pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image }] } });
    expect(spec(p).containers[0].imagePullPolicy).toBe(policy);
  });

  it('defaults probes, volumes, field references and requests from limits', async () => {
    const c = await realCluster();
    const p = await c.create(pods, 'default', {
      metadata: { name: 'p' },
      spec: {
        hostNetwork: true,
        containers: [container({
          ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { port: 8080 } }, resources: { limits: { cpu: '1', memory: '1Gi' } },
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }, { name: 'scratch', mountPath: '/tmp' }],
        })],
        volumes: [{ name: 'cfg', configMap: { name: 'cm' } }, { name: 'scratch' }, { name: 'host', hostPath: { path: '/var' } }],
      },
    });
    const ctr = spec(p).containers[0];
    expect(ctr.readinessProbe).toEqual({ httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(ctr.ports).toEqual([{ containerPort: 8080, hostPort: 8080, protocol: 'TCP' }]);
    expect(ctr.resources).toEqual({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
    expect(ctr.env[0].valueFrom.fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'metadata.name' });
    expect(spec(p).volumes).toEqual([{ name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } }, { name: 'scratch', emptyDir: {} }, { name: 'host', hostPath: { path: '/var', type: '' } }, accessVolume]);
    expect((p.status as any).qosClass).toBe('Guaranteed');
  });

  it('mounts the service account unless the pod or its account opts out, and keeps a mount already there', async () => {
    const c = await realCluster();
    const off = await c.create(pods, 'default', { metadata: { name: 'off' }, spec: { automountServiceAccountToken: false, containers: [container()] } });
    expect(spec(off).volumes).toBeUndefined();
    await c.create(def('', 'v1', 'serviceaccounts'), 'default', { metadata: { name: 'quiet' }, automountServiceAccountToken: false });
    expect(spec(await c.create(pods, 'default', { metadata: { name: 'quiet' }, spec: { serviceAccountName: 'quiet', containers: [container()] } })).volumes).toBeUndefined();
    const forced = await c.create(pods, 'default', { metadata: { name: 'forced' }, spec: { serviceAccountName: 'quiet', automountServiceAccountToken: true, containers: [container()] } });
    expect(spec(forced).volumes).toEqual([accessVolume]);
    const own = await c.create(pods, 'default', {
      metadata: { name: 'own' },
      spec: { containers: [container({ volumeMounts: [{ name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }), { name: 'side', image: 'busybox' }], volumes: [{ name: 'mine', emptyDir: {} }] },
    });
    expect(spec(own).containers.map((x: any) => x.volumeMounts.map((m: any) => m.name))).toEqual([['mine'], [spec(own).volumes[1].name]]);
  });

  it('marks a gated pod as not scheduled', async () => {
    const c = await realCluster();
    const p = await c.create(pods, 'default', { metadata: { name: 'p' }, spec: { schedulingGates: [{ name: 'example.com/quota' }], containers: [container()] } });
    expect((p.status as any).conditions).toEqual([{
      type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates', lastProbeTime: null, lastTransitionTime: '2026-01-01T12:00:00Z',
    }]);
  });

  it('mirrors the deprecated serviceAccount field', async () => {
    const c = await realCluster();
    const p = await c.create(pods, 'default', { metadata: { name: 'p' }, spec: { serviceAccount: 'robot', containers: [container()] } });
    expect(spec(p)).toMatchObject({ serviceAccountName: 'robot', serviceAccount: 'robot' });
  });
});

describe('workload defaults', () => {
  it('defaults a Deployment and its template (without the pod-only fields)', async () => {
    const c = await realCluster();
    const d = await c.create(deployments, 'default', workload('web'));
    expect(spec(d)).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    const t = spec(d).template.spec;
    expect(t).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, securityContext: {} });
    for (const podOnly of ['enableServiceLinks', 'priority', 'serviceAccountName']) expect(t).not.toHaveProperty(podOnly);
    expect(t.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File', resources: {} });
  });

  it('keeps a Recreate strategy without rolling parameters', async () => {
    const c = await realCluster();
    const d = await c.create(deployments, 'default', workload('web', { strategy: { type: 'Recreate' } }));
    expect(spec(d).strategy).toEqual({ type: 'Recreate' });
  });

  it('defaults StatefulSets, DaemonSets and ReplicaSets', async () => {
    const c = await realCluster();
    const sts = await c.create(def('apps', 'v1', 'statefulsets'), 'default', workload('db', {
      serviceName: 'db', updateStrategy: { rollingUpdate: { partition: 2 } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }],
    }));
    expect(spec(sts)).toMatchObject({
      replicas: 1, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
    });
    const ds = await c.create(def('apps', 'v1', 'daemonsets'), 'default', workload('agent', { updateStrategy: { type: 'RollingUpdate' } }));
    expect(spec(ds)).toMatchObject({ revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } });
    const rs = await c.create(def('apps', 'v1', 'replicasets'), 'default', workload('rs'));
    expect(spec(rs).replicas).toBe(1);
  });

  it('defaults a Job: counts, selector and labels from its uid and name', async () => {
    const c = await realCluster();
    const job = await c.create(def('batch', 'v1', 'jobs'), 'default', { metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } });
    const uid = job.metadata.uid!;
    expect(spec(job)).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(spec(job).selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'once', 'controller-uid': uid, 'job-name': 'once' };
    expect(spec(job).template.metadata.labels).toEqual(labels);
    expect(job.metadata.labels).toEqual(labels);
    const work = await c.create(def('batch', 'v1', 'jobs'), 'default', { metadata: { name: 'queue' }, spec: { parallelism: 3, template: { spec: { restartPolicy: 'OnFailure', containers: [container()] } } } });
    expect(spec(work)).not.toHaveProperty('completions');
  });

  it('defaults a CronJob but not the Job fields of its template', async () => {
    const c = await realCluster();
    const cj = await c.create(def('batch', 'v1', 'cronjobs'), 'default', {
      metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container()] } } } } },
    });
    expect(spec(cj)).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(spec(cj).jobTemplate.spec).not.toHaveProperty('backoffLimit');
    expect(spec(cj).jobTemplate.spec.template.spec).toMatchObject({ dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' });
  });
});

describe('service and other defaults', () => {
  it('defaults a ClusterIP service', async () => {
    const c = await realCluster();
    const svc = await c.create(services, 'default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, targetPort: 'https' }] } });
    expect(svc.spec).toEqual({
      selector: { app: 'web' }, type: 'ClusterIP', sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }],
    });
  });

  it('defaults NodePort, LoadBalancer, ClientIP affinity and ExternalName services', async () => {
    const c = await realCluster();
    const lb = await c.create(services, 'default', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
    expect(lb.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true, sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } });
    const ext = await c.create(services, 'default', { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    expect(ext.spec).toEqual({ type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' });
    const fixed = await c.create(services, 'default', { metadata: { name: 'fixed' }, spec: { clusterIP: '10.43.0.20', ports: [{ port: 53, protocol: 'UDP' }] } });
    expect(fixed.spec).toMatchObject({ clusterIP: '10.43.0.20', clusterIPs: ['10.43.0.20'] });
  });

  it('defaults secrets, namespaces, volumes and storage classes', async () => {
    const c = await realCluster();
    const s = await c.create(def('', 'v1', 'secrets'), 'default', { metadata: { name: 's' }, data: { a: 'eA==' }, stringData: { a: 'y', b: 'z' } } as KObject);
    expect(s).toMatchObject({ type: 'Opaque', data: { a: 'eQ==', b: 'eg==' } });
    expect(s).not.toHaveProperty('stringData');
    const ns = await c.create(namespaces, undefined, { metadata: { generateName: 'team-' }, spec: { finalizers: ['example.com/cleanup'] } });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': ns.metadata.name });
    expect(ns.spec).toEqual({ finalizers: ['example.com/cleanup', 'kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    const pv = await c.create(def('', 'v1', 'persistentvolumes'), undefined, { metadata: { name: 'pv' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/d' } } });
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect(pv.status).toEqual({ phase: 'Pending', lastPhaseTransitionTime: '2026-01-01T12:00:00Z' });
    const pvc = await c.create(def('', 'v1', 'persistentvolumeclaims'), 'default', { metadata: { name: 'pvc' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    expect(pvc).toMatchObject({ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    const sc = await c.create(def('storage.k8s.io', 'v1', 'storageclasses'), undefined, { metadata: { name: 'sc' }, provisioner: 'x' } as KObject);
    expect(sc).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    const hpa = await c.create(def('autoscaling', 'v2', 'horizontalpodautoscalers'), 'default', { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 } });
    expect(hpa.spec).toMatchObject({ minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
    expect(hpa.spec).not.toHaveProperty('behavior');
    const shaped = await c.create(def('autoscaling', 'v2', 'horizontalpodautoscalers'), 'default', { metadata: { name: 'b' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } });
    expect(spec(shaped).behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });
});

describe('network and node defaults', () => {
  it('defaults port protocols, policy types and node allocatable', async () => {
    const c = await realCluster();
    const ep = await c.create(def('', 'v1', 'endpoints'), 'default', { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.42.0.1' }], ports: [{ port: 80 }] }] } as KObject);
    expect((ep as any).subsets[0].ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    const slice = await c.create(def('discovery.k8s.io', 'v1', 'endpointslices'), 'default', { metadata: { name: 'web-1' }, addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] } as KObject);
    expect((slice as any).ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
    const np = await c.create(def('networking.k8s.io', 'v1', 'networkpolicies'), 'default', { metadata: { name: 'np' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } });
    expect(np.spec).toEqual({ podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }], policyTypes: ['Ingress', 'Egress'] });
    const node = await c.create(def('', 'v1', 'nodes'), undefined, { metadata: { name: 'n1' }, status: { capacity: { cpu: '4', pods: '110' } } });
    expect(node.status).toEqual({ capacity: { cpu: '4', pods: '110' }, allocatable: { cpu: '4', pods: '110' } });
  });
});

describe('limit range defaults', () => {
  it('derives a container item\'s default and defaultRequest', async () => {
    const c = await realCluster();
    const lr = await c.create(def('', 'v1', 'limitranges'), 'default', {
      metadata: { name: 'limits' }, spec: { limits: [{ type: 'Container', max: { cpu: '2', memory: '1Gi' }, default: { memory: '512Mi' }, min: { cpu: '100m' } }, { type: 'Pod', max: { cpu: '4' } }] },
    });
    expect(lr.spec).toEqual({
      limits: [
        { type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m' }, default: { cpu: '2', memory: '512Mi' }, defaultRequest: { cpu: '2', memory: '512Mi' } },
        { type: 'Pod', max: { cpu: '4' } },
      ],
    });
  });
});
