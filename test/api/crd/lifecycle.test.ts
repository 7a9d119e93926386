import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { apiGroupList, apiResourceList } from '../../../pkg/api/discovery/index.ts';
import { cronTabCrd, crdCluster, failure } from './fixtures.ts';

const crdApi = 'apiextensions.k8s.io/v1';
const ct = (name: string, spec: Record<string, unknown> = { cronSpec: '* * * * */5' }): KObject => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name }, spec });

describe('customResources', () => {
  it('establishes a CRD and serves its resources under the accepted names', async () => {
    const c = await crdCluster();
    const created = await c.client.resource(crdApi, 'customresourcedefinitions').create(undefined, cronTabCrd());
    expect(created.status).toEqual({ acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
    expect((created.spec as any).names.listKind).toBe('CronTabList');
    expect((created.spec as any).conversion).toEqual({ strategy: 'None' });
    await c.settle();
    const crd = await c.client.resource(crdApi, 'customresourcedefinitions').get(undefined, 'crontabs.stable.example.com');
    const status = crd.status as any;
    expect(status.acceptedNames).toEqual({ plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'], categories: ['all'] });
    expect(status.conditions.map((x: any) => [x.type, x.status, x.reason, x.message])).toEqual([
      ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'],
      ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'],
    ]);
    const def = c.find('stable.example.com', 'v1', 'crontabs')!;
    expect(def).toMatchObject({ kind: 'CronTab', singular: 'crontab', namespaced: true, shortNames: ['ct'], categories: ['all'], storage: { group: 'stable.example.com', resource: 'crontabs' } });
    expect(apiGroupList(c.resources).groups.map((g) => g.name)).toContain('stable.example.com');
    expect(apiResourceList(c.resources, 'stable.example.com', 'v1')!.resources.map((r: any) => r.name)).toEqual(['crontabs', 'crontabs/status', 'crontabs/scale']);

    const obj = await c.client.resource('stable.example.com/v1', 'crontabs').create('default', ct('a'));
    expect(obj.spec).toEqual({ cronSpec: '* * * * */5', replicas: 1 });
    expect(obj.metadata.generation).toBe(1);
    expect((await c.store.get('/registry/stable.example.com/crontabs/default/a'))).toBeDefined();
  });

  it('rejects bad custom resources with upstream field errors', async () => {
    const c = await crdCluster();
    await c.client.resource(crdApi, 'customresourcedefinitions').create(undefined, cronTabCrd());
    await c.settle();
    const rc = c.client.resource('stable.example.com/v1', 'crontabs');
    const bad = await failure(rc.create('default', ct('b', { cronSpec: 'nope', replicas: 'three', image: 'x'.repeat(21), mode: 'medium', ports: [1, 2, 3] })));
    expect(bad.code).toBe(422);
    expect(bad.details?.causes?.map((x) => `${x.field}: ${x.message}`)).toEqual([
      "spec.cronSpec: Invalid value: \"nope\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      'spec.image: Too long: may not be more than 20 bytes',
      'spec.mode: Unsupported value: "medium": supported values: "fast", "slow"',
      'spec.ports: Too many: 3: must have at most 2 items',
      // The scale subresource's own check of the replicas path, as upstream's ValidateScaleSpec.
      '.spec.replicas: Invalid value: 0: .spec.replicas accessor error: three is of the type string, expected int64',
    ]);
    expect(bad.message).toMatch(/^CronTab\.stable\.example\.com "b" is invalid: \[spec\.cronSpec: /);
    const missing = await failure(rc.create('default', ct('c', {})));
    expect(missing.message).toBe('CronTab.stable.example.com "c" is invalid: spec.cronSpec: Required value');
    const high = await failure(rc.create('default', ct('d', { cronSpec: '* * * * *', replicas: 11 })));
    expect(high.message).toBe('CronTab.stable.example.com "d" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10');
  });

  it('prunes unknown fields, or refuses them under Strict', async () => {
    const c = await crdCluster();
    await c.client.resource(crdApi, 'customresourcedefinitions').create(undefined, cronTabCrd());
    await c.settle();
    const def = c.find('stable.example.com', 'v1', 'crontabs')!;
    const body = { ...ct('p', { cronSpec: '* * * * *', colour: 'red', extra: { anything: { goes: 1 } } }), metadata: { name: 'p', bogus: 1 } } as KObject;
    const strict = await failure(c.handler.create({ verb: 'create', def, namespace: 'default', body, options: { fieldValidation: 'Strict' } }, { name: 'a', groups: ['system:masters'] }));
    expect(strict).toMatchObject({ code: 400, message: 'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "metadata.bogus", unknown field "spec.colour"' });
    const warned = await c.handler.create({ verb: 'create', def, namespace: 'default', body, options: {} }, { name: 'a', groups: ['system:masters'] });
    expect(warned.warnings).toEqual(['unknown field "metadata.bogus"', 'unknown field "spec.colour"']);
    expect(warned.object.spec).toEqual({ cronSpec: '* * * * *', extra: { anything: { goes: 1 } }, replicas: 1 });
    expect(warned.object.metadata).not.toHaveProperty('bogus');
  });

  it('keeps status and spec apart and scales through the scale subresource', async () => {
    const c = await crdCluster();
    await c.client.resource(crdApi, 'customresourcedefinitions').create(undefined, cronTabCrd());
    await c.settle();
    const rc = c.client.resource('stable.example.com/v1', 'crontabs');
    const created = await rc.create('default', { ...ct('s'), status: { replicas: 9 } });
    expect(created.status).toBeUndefined();
    await rc.patch('default', 's', 'merge', { status: { replicas: 2, labelSelector: 'app=x' } }, { subresource: 'status' });
    const scale = await rc.patch('default', 's', 'merge', { spec: { replicas: 3 } }, { subresource: 'scale' });
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=x' } });
    const after = await rc.get('default', 's');
    expect(after.spec).toMatchObject({ replicas: 3 });
    expect(after.metadata.generation).toBe(2);
    const tooMany = await failure(rc.patch('default', 's', 'merge', { spec: { replicas: 11 } }, { subresource: 'scale' }));
    expect(tooMany.message).toBe('CronTab.stable.example.com "s" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10');
    expect((await failure(rc.patch('default', 's', 'strategic', { spec: { replicas: 1 } }))).code).toBe(415);
  });

  it('deletes every custom resource with the CRD, then stops serving it', async () => {
    const c = await crdCluster();
    const crds = c.client.resource(crdApi, 'customresourcedefinitions');
    await crds.create(undefined, cronTabCrd());
    await c.settle();
    const rc = c.client.resource('stable.example.com/v1', 'crontabs');
    await rc.create('default', ct('x'));
    await rc.create('default', ct('y'));
    const marked = await crds.delete(undefined, 'crontabs.stable.example.com');
    expect(marked.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    await c.settle();
    expect((await failure(crds.get(undefined, 'crontabs.stable.example.com'))).code).toBe(404);
    expect(c.find('stable.example.com', 'v1', 'crontabs')).toBeUndefined();
    expect(apiGroupList(c.resources).groups.map((g) => g.name)).not.toContain('stable.example.com');
    expect((await c.store.list('/registry/stable.example.com/')).items).toEqual([]);
    expect((await failure(c.client.resource('stable.example.com/v1', 'crontabs').list('default'))).code).toBe(404);
  });

  it('serves the CRDs it finds in the store when it starts', async () => {
    const first = await crdCluster();
    await first.client.resource(crdApi, 'customresourcedefinitions').create(undefined, cronTabCrd());
    await first.settle();
    await first.client.resource('stable.example.com/v1', 'crontabs').create('default', ct('kept'));
    const second = await crdCluster(first.store);
    expect(second.find('stable.example.com', 'v1', 'crontabs')).toBeDefined();
    expect((await second.client.resource('stable.example.com/v1', 'crontabs').get('default', 'kept')).spec).toMatchObject({ replicas: 1 });
  });

  it('refuses names another CRD of the group accepted', async () => {
    const c = await crdCluster();
    const crds = c.client.resource(crdApi, 'customresourcedefinitions');
    await crds.create(undefined, cronTabCrd());
    const other = cronTabCrd();
    other.metadata.name = 'crontabz.stable.example.com';
    (other.spec as any).names = { plural: 'crontabz', kind: 'CronTabZ', shortNames: ['ct'] };
    await crds.create(undefined, other);
    await c.settle();
    const got = await crds.get(undefined, 'crontabz.stable.example.com');
    const cond = (got.status as any).conditions;
    expect(cond.map((x: any) => [x.type, x.status, x.reason, x.message])).toEqual([
      ['NamesAccepted', 'False', 'ShortNamesConflict', '"ct" is already in use'],
      ['Established', 'False', 'NotAccepted', 'not all names are accepted'],
    ]);
    expect(c.find('stable.example.com', 'v1', 'crontabz')).toBeUndefined();
  });

  it('judges CRD bodies by the CRD kind\'s own schema', async () => {
    const c = await crdCluster();
    const def = c.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    const body = cronTabCrd({ version: 'v1' });
    const strict = await failure(c.handler.create({ verb: 'create', def, body, options: { fieldValidation: 'Strict' } }, { name: 'a', groups: ['system:masters'] }));
    expect(strict.message).toBe('CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: strict decoding error: unknown field "spec.version"');
    const warned = await c.handler.create({ verb: 'create', def, body, options: {} }, { name: 'a', groups: ['system:masters'] });
    expect(warned.warnings).toEqual(['unknown field "spec.version"']);
    expect(warned.object.spec).not.toHaveProperty('version');
  });

  it('serves every served version from one storage, rewriting apiVersion', async () => {
    const c = await crdCluster();
    const crd = cronTabCrd();
    const v1 = (crd.spec as any).versions[0];
    (crd.spec as any).versions = [{ ...v1, name: 'v1beta1', storage: false }, v1, { ...v1, name: 'v0', served: false, storage: false }];
    await c.client.resource(crdApi, 'customresourcedefinitions').create(undefined, crd);
    await c.settle();
    expect(c.find('stable.example.com', 'v0', 'crontabs')).toBeUndefined();
    const created = await c.client.resource('stable.example.com/v1beta1', 'crontabs').create('default', { ...ct('m'), apiVersion: 'stable.example.com/v1beta1' });
    expect(created.apiVersion).toBe('stable.example.com/v1beta1');
    expect(JSON.parse((await c.store.get('/registry/stable.example.com/crontabs/default/m'))!.value).apiVersion).toBe('stable.example.com/v1');
    const read = await c.client.resource('stable.example.com/v1', 'crontabs').get('default', 'm');
    expect(read).toMatchObject({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', spec: { replicas: 1 } });
    expect(apiGroupList(c.resources).groups.find((g) => g.name === 'stable.example.com')!.preferredVersion.version).toBe('v1');
  });

  it('refuses new instances while the CRD waits for finalizers of old ones', async () => {
    const c = await crdCluster();
    const crds = c.client.resource(crdApi, 'customresourcedefinitions');
    await crds.create(undefined, cronTabCrd());
    await c.settle();
    const rc = () => c.client.resource('stable.example.com/v1', 'crontabs');
    await rc().create('default', { ...ct('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await crds.delete(undefined, 'crontabs.stable.example.com');
    await c.settle();
    const waiting = await crds.get(undefined, 'crontabs.stable.example.com');
    expect((waiting.status as any).conditions.find((x: any) => x.type === 'Terminating')).toMatchObject({ status: 'True', reason: 'InstanceDeletionCheck', message: 'could not confirm zero CustomResources remaining: 1 remaining' });
    expect((await failure(rc().create('default', ct('new')))).code).toBe(405);
    expect((await rc().get('default', 'held')).metadata.deletionTimestamp).toBeDefined();
    await rc().patch('default', 'held', 'merge', { metadata: { finalizers: null } });
    for (let i = 0; i < 100 && c.find('stable.example.com', 'v1', 'crontabs'); i++) await c.settle();
    expect((await failure(crds.get(undefined, 'crontabs.stable.example.com'))).code).toBe(404);
  });
});
