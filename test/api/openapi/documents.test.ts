import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openapiV2, openapiV2Served, openapiV3Document, openapiV3Index, openapiV3Served } from '../../../pkg/api/openapi/index.ts';
import type { ResourceDef } from '../../../pkg/api/resource.ts';
import { resources } from '../../../pkg/api/resources/index.ts';
import { resourceTable } from './fixtures.ts';

type Json = Record<string, any>;
const v3 = (path: string) => openapiV3Document(resourceTable, path) as Json;

/** Every `$ref` in `doc` must name an existing component or definition. */
function danglingRefs(doc: Json, prefix: string, table: Json): string[] {
  const bad: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref') {
          if (typeof x !== 'string' || !x.startsWith(prefix) || !table[x.slice(prefix.length)]) bad.push(String(x));
        } else walk(x);
      }
    }
  };
  walk(doc);
  return bad;
}

describe('openapiV3Index', () => {
  it('lists every served group/version with a hash of the served document', () => {
    const index = openapiV3Index(resourceTable);
    expect(Object.keys(index.paths).sort()).toEqual([
      'api/v1', 'apis/apps/v1', 'apis/autoscaling/v1', 'apis/autoscaling/v2', 'apis/batch/v1', 'apis/coordination.k8s.io/v1',
      'apis/discovery.k8s.io/v1', 'apis/events.k8s.io/v1', 'apis/networking.k8s.io/v1', 'apis/policy/v1',
      'apis/rbac.authorization.k8s.io/v1', 'apis/storage.k8s.io/v1',
    ]);
    for (const [path, { serverRelativeURL }] of Object.entries(index.paths)) {
      const served = openapiV3Served(resourceTable, path)!;
      expect(served.hash).toBe(createHash('sha512').update(served.json).digest('hex').toUpperCase());
      expect(serverRelativeURL).toBe(`/openapi/v3/${path}?hash=${served.hash}`);
      expect(JSON.parse(served.json)).toEqual(served.document);
    }
  });

  it('is computed once per resource table', () => {
    expect(openapiV3Index(resourceTable)).toBe(openapiV3Index(resourceTable));
    expect(openapiV3Document(resourceTable, 'apis/apps/v1')).toBe(openapiV3Document(resourceTable, 'apis/apps/v1'));
    const other = [...resourceTable];
    expect(openapiV3Index(other)).not.toBe(openapiV3Index(resourceTable));
    expect(openapiV3Index(other)).toEqual(openapiV3Index(resourceTable));
  });
});

describe('openapiV3Document', () => {
  it('gives every PATCH a GVK object and a fieldValidation query parameter, and no request body', () => {
    const doc = v3('apis/apps/v1');
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    expect(item.patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    expect(item.patch.requestBody).toBeUndefined();
    for (const [path, ops] of Object.entries<Json>(doc.paths)) {
      if (!ops.patch) continue;
      expect(ops.patch.parameters.map((p: Json) => p.name), path).toContain('fieldValidation');
      expect(ops.patch.requestBody, path).toBeUndefined();
    }
  });

  it('serves get, list, create, replace, delete and deletecollection, and the all-namespaces list', () => {
    const doc = v3('api/v1');
    const pods = doc.paths['/api/v1/namespaces/{namespace}/pods'];
    expect(Object.keys(pods).filter((k) => k !== 'parameters').sort()).toEqual(['delete', 'get', 'post']);
    expect(pods.get['x-kubernetes-action']).toBe('list');
    expect(pods.get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/io.k8s.api.core.v1.PodList');
    const pod = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
    expect(Object.keys(pod).filter((k) => k !== 'parameters').sort()).toEqual(['delete', 'get', 'patch', 'put']);
    expect(doc.paths['/api/v1/pods'].get['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Pod', version: 'v1' });
    expect(doc.paths['/api/v1/nodes/{name}'].get.operationId).toBe('readCoreV1Node');
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'].patch['x-kubernetes-group-version-kind'].kind).toBe('Pod');
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/binding'].post['x-kubernetes-group-version-kind'].kind).toBe('Binding');
    expect(v3('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].put['x-kubernetes-group-version-kind'])
      .toEqual({ group: 'autoscaling', kind: 'Scale', version: 'v1' });
  });

  it('keys component schemas like upstream and marks kinds with x-kubernetes-group-version-kind', () => {
    const schemas = v3('apis/apps/v1').components.schemas;
    expect(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(schemas['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.name.type).toBe('string');
    expect(schemas['io.k8s.api.core.v1.PodTemplateSpec']).toBeDefined();
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind']).toContainEqual({ group: 'apps', kind: 'DeleteOptions', version: 'v1' });
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'].oneOf).toEqual([{ type: 'string' }, { type: 'number' }]);
  });

  it('wraps described references in allOf and carries patch and list extensions', () => {
    const schemas = v3('apis/apps/v1').components.schemas;
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }],
      description: expect.any(String),
      'x-kubernetes-patch-strategy': 'retainKeys',
    });
    expect(schemas['io.k8s.api.core.v1.PodSpec'].properties.containers).toMatchObject({
      type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
    });
    expect(schemas['io.k8s.api.core.v1.PodSpec'].properties.volumes['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
  });

  it('resolves every $ref of every document', () => {
    for (const path of Object.keys(openapiV3Index(resourceTable).paths)) {
      const doc = v3(path);
      expect(danglingRefs(doc, '#/components/schemas/', doc.components.schemas), path).toEqual([]);
    }
  });

  it('describes the review kinds and serviceaccounts/token with their type schemas', () => {
    const served = (path: string) => openapiV3Document(resources, path) as Json;
    const sa = served('api/v1');
    const token = sa.paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token'].post;
    expect(token.operationId).toBe('createCoreV1NamespacedServiceAccountToken');
    expect(token['x-kubernetes-group-version-kind']).toEqual({ group: 'authentication.k8s.io', kind: 'TokenRequest', version: 'v1' });
    expect(sa.components.schemas['io.k8s.api.authentication.v1.TokenRequestSpec'].required).toEqual(['audiences']);
    const authz = served('apis/authorization.k8s.io/v1').components.schemas;
    expect(authz['io.k8s.api.authorization.v1.SelfSubjectAccessReview']).toMatchObject({ required: ['spec'], 'x-kubernetes-group-version-kind': [{ group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview', version: 'v1' }] });
    expect(Object.keys(authz['io.k8s.api.authorization.v1.ResourceAttributes'].properties)).toContain('fieldSelector');
    expect(authz['io.k8s.api.authorization.v1.SelfSubjectAccessReview']['x-kubernetes-preserve-unknown-fields']).toBeUndefined();
    expect(served('apis/authentication.k8s.io/v1').components.schemas['io.k8s.api.authentication.v1.UserInfo'].properties.extra).toMatchObject({ type: 'object', additionalProperties: { type: 'array' } });
  });

  it('is undefined for a group/version nobody serves', () => {
    expect(openapiV3Document(resourceTable, 'apis/example.com/v1')).toBeUndefined();
  });

  it('publishes a permissive schema for a served kind it has no type schema for', () => {
    const widgets: ResourceDef[] = [{ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', singular: 'widget', namespaced: true, storage: { group: 'example.com', resource: 'widgets' } }];
    const doc = openapiV3Document(widgets, 'apis/example.com/v1') as Json;
    expect(doc.components.schemas['io.k8s.api.example.v1.Widget']).toMatchObject({
      type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-group-version-kind': [{ group: 'example.com', kind: 'Widget', version: 'v1' }],
    });
    expect(danglingRefs(doc, '#/components/schemas/', doc.components.schemas)).toEqual([]);
  });
});

describe('openapiV2', () => {
  it('is one Swagger 2.0 document with definitions keyed like upstream and patch extensions', () => {
    const doc = openapiV2(resourceTable) as Json;
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.core.v1.Container'].properties.env).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    expect(doc.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy).toMatchObject({ $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy', 'x-kubernetes-patch-strategy': 'retainKeys' });
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch.consumes).toContain('application/strategic-merge-patch+json');
    expect(danglingRefs(doc, '#/definitions/', doc.definitions)).toEqual([]);
    expect(openapiV2Served(resourceTable).json).toBe(JSON.stringify(doc));
  });
});
