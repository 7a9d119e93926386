import { describe, expect, it } from 'vitest';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { failure, type Cluster } from '../registry/fixtures.ts';
import { container, def, deployments, namespaces, pods, realCluster, services, workload } from './helpers.ts';

// Update rules: immutable fields answer 422 with upstream's path and wording.

async function invalidUpdate(c: Cluster, d: ResourceDef, obj: KObject, ns: string | undefined = 'default') {
  const f = await failure(c.update(d, ns, obj));
  expect(f.code).toBe(422);
  return ((f.status.details as { causes: { field: string; message: string }[] }).causes).map((x) => `${x.field}: ${x.message}`);
}

const edit = (o: KObject, f: (o: any) => void): KObject => {
  const copy = structuredClone(o);
  f(copy);
  return copy;
};

describe('immutable fields', () => {
  it('freezes workload selectors', async () => {
    const c = await realCluster();
    const d = await c.create(deployments, 'default', workload('web'));
    const causes = await invalidUpdate(c, deployments, edit(d, (o) => {
      o.spec.selector.matchLabels = { app: 'web', tier: 'fe' };
      o.spec.template.metadata.labels.tier = 'fe';
    }));
    expect(causes).toEqual(['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"fe"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable']);
    const scaled = await c.update(deployments, 'default', edit(d, (o) => void (o.spec.replicas = 3)));
    expect(scaled.metadata.generation).toBe(2);
  });

  it('keeps an allocated cluster IP and refuses to change it', async () => {
    const c = await realCluster();
    const svc = await c.create(services, 'default', { metadata: { name: 'web' }, spec: { clusterIP: '10.43.0.20', ports: [{ port: 80 }] } });
    const kept = await c.update(services, 'default', edit(svc, (o) => {
      delete o.spec.clusterIP;
      delete o.spec.clusterIPs;
      o.spec.ports[0].port = 81;
    }));
    expect(kept.spec).toMatchObject({ clusterIP: '10.43.0.20', clusterIPs: ['10.43.0.20'] });
    const causes = await invalidUpdate(c, services, edit(kept, (o) => {
      o.spec.clusterIP = '10.43.0.21';
      o.spec.clusterIPs = ['10.43.0.21'];
    }));
    expect(causes).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.43.0.21"}: may not change once set']);
  });

  it('freezes a Job\'s template and completions', async () => {
    const c = await realCluster();
    const jobs = def('batch', 'v1', 'jobs');
    const job = await c.create(jobs, 'default', { metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } });
    const causes = await invalidUpdate(c, jobs, edit(job, (o) => {
      o.spec.completions = 2;
      o.spec.template.spec.containers[0].image = 'nginx:1.28';
    }));
    expect(causes.map((x) => x.replace(/Invalid value: .*: field is immutable/, 'Invalid value: …: field is immutable'))).toEqual([
      'spec.completions: Invalid value: …: field is immutable', 'spec.template: Invalid value: …: field is immutable',
    ]);
    expect(causes[0]).toBe('spec.completions: Invalid value: 2: field is immutable');
    const suspended = await c.update(jobs, 'default', edit(job, (o) => void (o.spec.suspend = true)));
    expect((suspended.spec as any).suspend).toBe(true);
  });

  it('freezes immutable ConfigMaps and Secrets, and a Secret\'s type', async () => {
    const c = await realCluster();
    const configmaps = def('', 'v1', 'configmaps');
    const cm = await c.create(configmaps, 'default', { metadata: { name: 'cm' }, data: { a: '1' }, immutable: true } as KObject);
    expect(await invalidUpdate(c, configmaps, edit(cm, (o) => {
      o.data.a = '2';
      o.immutable = false;
    }))).toEqual(['immutable: Forbidden: field is immutable when `immutable` is set', 'data: Forbidden: field is immutable when `immutable` is set']);
    const relabeled = await c.update(configmaps, 'default', edit(cm, (o) => void (o.metadata.labels = { a: 'b' })));
    expect(relabeled.metadata.labels).toEqual({ a: 'b' });
    const secrets = def('', 'v1', 'secrets');
    const s = await c.create(secrets, 'default', { metadata: { name: 's' }, data: { a: 'eA==' } } as KObject);
    expect(await invalidUpdate(c, secrets, edit(s, (o) => void (o.type = 'example.com/custom')))).toEqual(['type: Invalid value: "example.com/custom": field is immutable']);
  });

  it('freezes a claim\'s spec except a first volumeName', async () => {
    const c = await realCluster();
    const claims = def('', 'v1', 'persistentvolumeclaims');
    const pvc = await c.create(claims, 'default', { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const bound = await c.update(claims, 'default', edit(pvc, (o) => void (o.spec.volumeName = 'pv-1')));
    expect((bound.spec as any).volumeName).toBe('pv-1');
    expect(await invalidUpdate(c, claims, edit(bound, (o) => void (o.spec.accessModes = ['ReadWriteMany'])))).toEqual([
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
  });

  it('lets a StatefulSet change only its mutable spec fields', async () => {
    const c = await realCluster();
    const sts = def('apps', 'v1', 'statefulsets');
    const db = await c.create(sts, 'default', workload('db', { serviceName: 'db' }));
    await c.update(sts, 'default', edit(db, (o) => void (o.spec.replicas = 3)));
    const fresh = await c.get(sts, 'default', 'db');
    expect(await invalidUpdate(c, sts, edit(fresh, (o) => void (o.spec.serviceName = 'other')))).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it('lets a pod change only images and the few updatable fields', async () => {
    const c = await realCluster();
    const p = await c.create(pods, 'default', { metadata: { name: 'p' }, spec: { containers: [container()] } });
    const updated = await c.update(pods, 'default', edit(p, (o) => void (o.spec.containers[0].image = 'nginx:1.28')));
    expect((updated.spec as any).containers[0].image).toBe('nginx:1.28');
    const causes = await invalidUpdate(c, pods, edit(updated, (o) => void (o.spec.restartPolicy = 'Never')));
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatch(/^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,/);
  });

  it('keeps a namespace\'s finalizers on main-resource updates', async () => {
    const c = await realCluster();
    const ns = await c.create(namespaces, undefined, { metadata: { name: 'team' } });
    const updated = await c.update(namespaces, undefined, edit(ns, (o) => {
      o.spec.finalizers = [];
      o.metadata.labels.team = 'a';
    }));
    expect(updated.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(updated.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team', team: 'a' });
  });
});

describe('other update rules', () => {
  it('fixes a binding\'s roleRef and a storage class\'s provisioner', async () => {
    const c = await realCluster();
    const rb = def('rbac.authorization.k8s.io', 'v1', 'rolebindings');
    const b = await c.create(rb, 'default', { metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'robot' }] } as KObject);
    expect(b).toMatchObject({ roleRef: { apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'robot' }] });
    expect(await invalidUpdate(c, rb, edit(b, (o) => void (o.roleRef.name = 'edit')))).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
    ]);
    const classes = def('storage.k8s.io', 'v1', 'storageclasses');
    const sc = await c.create(classes, undefined, { metadata: { name: 'local' }, provisioner: 'a', parameters: { x: '1' } } as KObject);
    expect(await invalidUpdate(c, classes, edit(sc, (o) => {
      o.provisioner = 'b';
      o.parameters.x = '2';
    }), undefined)).toEqual(['parameters: Forbidden: updates to parameters are forbidden.', 'provisioner: Forbidden: updates to provisioner are forbidden.']);
  });
});
