import { describe, expect, it } from 'vitest';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { NOW, ago, def } from './helpers.ts';

// The wide rows the server sends for each kind, and the headers kubectl prints from them.

const row = (d: ResourceDef, obj: Record<string, unknown>) =>
  d.table!.cells({ ...obj, metadata: { name: 'x', creationTimestamp: ago(3600), ...(obj.metadata as object) } } as KObject, NOW);
const headers = (d: ResourceDef, wide = false) => d.table!.columns.filter((c) => wide || c.priority === 0).map((c) => c.name.toUpperCase());
const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };
const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'canary', operator: 'DoesNotExist' }] };

describe('workload tables', () => {
  it('deployments', () => {
    const d = def('apps', 'v1', 'deployments');
    expect(headers(d, true)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(row(d, { spec: { replicas: 3, selector, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }))
      .toEqual(['x', '2/3', 3, 2, '60m', 'web,log', 'nginx:1.27,busybox', 'app=web,!canary,tier in (be,fe)']);
  });

  it('replicasets, statefulsets and daemonsets', () => {
    const rs = def('apps', 'v1', 'replicasets');
    expect(row(rs, { spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 2, readyReplicas: 1 } }))
      .toEqual(['x', 2, 2, 1, '60m', 'web,log', 'nginx:1.27,busybox', 'app=web']);
    expect(row(def('apps', 'v1', 'statefulsets'), { spec: { replicas: 3, template }, status: { readyReplicas: 3 } })).toEqual(['x', '3/3', '60m', 'web,log', 'nginx:1.27,busybox']);
    const ds = def('apps', 'v1', 'daemonsets');
    expect(headers(ds)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
    expect(row(ds, { spec: { template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' }, containers: [] } } }, status: { desiredNumberScheduled: 2 } }))
      .toEqual(['x', 2, 0, 0, 0, 0, 'disk=ssd,kubernetes.io/os=linux', '60m', '', '', '']);
  });

  it('jobs and cronjobs', () => {
    const jobs = def('batch', 'v1', 'jobs');
    const done = { startTime: ago(3600), completionTime: ago(3540), succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] };
    expect(row(jobs, { spec: { completions: 1, parallelism: 1, template }, status: done }).slice(0, 5)).toEqual(['x', 'Complete', '1/1', '60s', '60m']);
    expect(row(jobs, { spec: { parallelism: 3, template }, status: { startTime: ago(90), active: 3 } }).slice(1, 4)).toEqual(['Running', '0/1 of 3', '90s']);
    expect(row(jobs, { spec: { parallelism: 1, template }, status: {} }).slice(1, 4)).toEqual(['Running', '0/1', '']);
    expect(row(jobs, { spec: { completions: 2, template }, status: { conditions: [{ type: 'Failed', status: 'True' }] } })[1]).toBe('Failed');
    expect(row(jobs, { metadata: { name: 'x', deletionTimestamp: ago(0) }, spec: { completions: 2 }, status: {} })[1]).toBe('Terminating');
    const cj = def('batch', 'v1', 'cronjobs');
    expect(headers(cj)).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(row(cj, { spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } }, status: { active: [{ name: 'j' }], lastScheduleTime: ago(30) } }).slice(0, 7))
      .toEqual(['x', '*/5 * * * *', '<none>', 'False', 1, '30s', '60m']);
  });
});

describe('core tables', () => {
  it('services', () => {
    const svc = def('', 'v1', 'services');
    expect(headers(svc, true)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(row(svc, { spec: { type: 'ClusterIP', clusterIPs: ['10.43.0.10'], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], selector: { b: '2', a: '1' } } }))
      .toEqual(['x', 'ClusterIP', '10.43.0.10', '<none>', '53/UDP,53/TCP', '60m', 'a=1,b=2']);
    expect(row(svc, { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] } }).slice(2, 5)).toEqual(['<none>', '<none>', '80:30080/TCP']);
    const lb = { type: 'LoadBalancer', ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
    expect(row(svc, { spec: lb })[3]).toBe('<pending>');
    expect(row(svc, { spec: { ...lb, externalIPs: ['1.2.3.4'] }, status: { loadBalancer: { ingress: [{ ip: '9.9.9.9' }, { hostname: 'lb.example.com' }, { ip: '9.9.9.9' }] } } })[3])
      .toBe('9.9.9.9,lb.example.com,1.2.3.4');
    expect(row(svc, { spec: { type: 'ExternalName', externalName: 'db.example.com' } }).slice(1, 5)).toEqual(['ExternalName', '<none>', 'db.example.com', '<none>']);
  });

  it('nodes', () => {
    const nodes = def('', 'v1', 'nodes');
    const info = { kubeletVersion: 'v1.32.0+skiff', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'docker://27.0.0' };
    expect(row(nodes, {
      metadata: { name: 'x', labels: { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true', 'kubernetes.io/role': 'edge' } },
      spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.0.0.5' }], nodeInfo: info },
    })).toEqual(['x', 'Ready,SchedulingDisabled', 'control-plane,edge,master', '60m', 'v1.32.0+skiff', '10.0.0.5', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'docker://27.0.0']);
    expect(row(nodes, { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }).slice(1, 3)).toEqual(['NotReady', '<none>']);
    expect(row(nodes, { status: {} }).slice(7)).toEqual(['<unknown>', '<unknown>', '<unknown>']);
    expect(row(nodes, {})[1]).toBe('Unknown');
  });

  it('namespaces, configmaps, secrets, service accounts and endpoints', () => {
    expect(row(def('', 'v1', 'namespaces'), { status: { phase: 'Terminating' } })).toEqual(['x', 'Terminating', '60m']);
    expect(row(def('', 'v1', 'configmaps'), { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })).toEqual(['x', 3, '60m']);
    expect(headers(def('', 'v1', 'secrets'))).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(row(def('', 'v1', 'secrets'), { type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } })).toEqual(['x', 'kubernetes.io/tls', 2, '60m']);
    expect(row(def('', 'v1', 'serviceaccounts'), {})).toEqual(['x', 0, '60m']);
    const ep = def('', 'v1', 'endpoints');
    const subsets = [{ addresses: [{ ip: '10.42.0.1' }, { ip: '10.42.0.2' }], ports: [{ port: 80 }, { port: 443 }] }];
    expect(row(ep, { subsets })[1]).toBe('10.42.0.1:80,10.42.0.2:80,10.42.0.1:443 + 1 more...');
    expect(row(ep, {})[1]).toBe('<none>');
  });

  it('events, newest time first, with the source and a default count of 1', () => {
    const ev = def('', 'v1', 'events');
    expect(headers(ev)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(headers(ev, true)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
    const e = { involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{web}' }, reason: 'Pulled', type: 'Normal', message: 'pulled \n', source: { component: 'kubelet', host: 'n1' } };
    expect(row(ev, { ...e, firstTimestamp: ago(600), lastTimestamp: ago(30), count: 4 })).toEqual(['30s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{web}', 'kubelet, n1', 'pulled', '10m', 4, 'x']);
    const fresh = { involvedObject: { kind: 'Node' }, eventTime: '2026-01-01T11:59:50.000000Z', reportingComponent: 'skiff-scheduler', type: 'Warning', reason: 'X' };
    expect(row(ev, fresh)).toEqual(['10s', 'Warning', 'X', 'node', '', 'skiff-scheduler', '', '10s', 1, 'x']);
    const series = row(ev, { ...fresh, series: { count: 7, lastObservedTime: '2026-01-01T11:59:58.000000Z' } });
    expect([series[0], series[8]]).toEqual(['2s', 7]);
    const v1 = def('events.k8s.io', 'v1', 'events');
    expect(row(v1, { regarding: { kind: 'Pod', name: 'p' }, note: 'hi', reason: 'R', type: 'Normal', eventTime: '2026-01-01T11:59:00.000000Z', reportingController: 'c', reportingInstance: 'i' }))
      .toEqual(['60s', 'Normal', 'R', 'pod/p', '', 'c, i', 'hi', '60s', 1, 'x']);
  });

  it('volumes and claims', () => {
    const pv = def('', 'v1', 'persistentvolumes');
    expect(row(pv, { spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'd', name: 'data' }, storageClassName: 'local', volumeMode: 'Filesystem' }, status: { phase: 'Bound' } }))
      .toEqual(['x', '5Gi', 'RWO,RWX', 'Retain', 'Bound', 'd/data', 'local', '<unset>', '', '60m', 'Filesystem']);
    const pvc = def('', 'v1', 'persistentvolumeclaims');
    expect(row(pvc, { spec: { storageClassName: 'local', volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } }))
      .toEqual(['x', 'Pending', '', '', '', 'local', '<unset>', '60m', 'Filesystem']);
    expect(row(pvc, { metadata: { name: 'x', deletionTimestamp: ago(0) }, spec: { volumeName: 'pv', volumeMode: 'Block' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }))
      .toEqual(['x', 'Terminating', 'pv', '1Gi', 'RWO', '', '<unset>', '60m', 'Block']);
  });
});

describe('other tables', () => {
  it('rbac, controller revisions, hpa, ingress and the Created At default', () => {
    const rb = def('rbac.authorization.k8s.io', 'v1', 'rolebindings');
    expect(row(rb, { roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'robot', namespace: 'd' }, { kind: 'Group', name: 'devs' }] }))
      .toEqual(['x', 'ClusterRole/view', '60m', 'jane', 'devs', 'd/robot']);
    expect(row(def('rbac.authorization.k8s.io', 'v1', 'roles'), {})).toEqual(['x', '2026-01-01T11:00:00Z']);
    expect(row(def('', 'v1', 'limitranges'), {})).toEqual(['x', '2026-01-01T11:00:00Z']);
    const cr = def('apps', 'v1', 'controllerrevisions');
    expect(row(cr, { metadata: { name: 'x', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', controller: true }] }, revision: 2 })).toEqual(['x', 'statefulset.apps/db', 2, '60m']);
    const hpa = def('autoscaling', 'v2', 'horizontalpodautoscalers');
    expect(row(hpa, { spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }, status: { currentReplicas: 2 } }))
      .toEqual(['x', 'Deployment/web', 'cpu: <unknown>/80%', '1', 5, 2, '60m']);
    const hpa1 = def('autoscaling', 'v1', 'horizontalpodautoscalers');
    expect(row(hpa1, { spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, status: { currentCPUUtilizationPercentage: 12 } })[2]).toBe('cpu: 12%/50%');
    const ing = def('networking.k8s.io', 'v1', 'ingresses');
    expect(row(ing, { spec: { rules: [{ host: 'a' }, {}, { host: 'c' }, { host: 'd' }, { host: 'e' }], tls: [{}] } }).slice(1, 5)).toEqual(['<none>', 'a,c,d + 2 more...', '', '80, 443']);
  });
});
