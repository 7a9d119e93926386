import { describe, expect, it } from 'vitest';
import { aggregatedDiscovery, apiGroupList, apiResourceList } from '../../../pkg/api/discovery/index.ts';
import { resources } from '../../../pkg/api/resources/index.ts';

// Discovery generated from the real resource table, compared with a 1.32 apiserver's.

type Entry = { name: string; kind: string; verbs: string[]; shortNames?: string[]; categories?: string[]; group?: string; version?: string; namespaced: boolean };
const list = (group: string, version: string) => apiResourceList(resources, group, version)!.resources as Entry[];
const entry = (group: string, version: string, name: string) => list(group, version).find((r) => r.name === name);
const all = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

describe('legacy discovery', () => {
  it('lists pods with their subresources as upstream does', () => {
    expect(entry('', 'v1', 'pods')).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], verbs: all });
    const subs = Object.fromEntries(list('', 'v1').filter((r) => r.name.startsWith('pods/')).map((r) => [r.name, [r.group ?? '', r.version ?? 'v1', r.kind, r.verbs.join(',')]]));
    expect(subs).toEqual({
      'pods/status': ['', 'v1', 'Pod', 'get,patch,update'],
      'pods/binding': ['', 'v1', 'Binding', 'create'],
      'pods/eviction': ['policy', 'v1', 'Eviction', 'create'],
      'pods/log': ['', 'v1', 'Pod', 'get'],
      'pods/exec': ['', 'v1', 'PodExecOptions', 'create,get'],
      'pods/attach': ['', 'v1', 'PodAttachOptions', 'create,get'],
      'pods/portforward': ['', 'v1', 'PodPortForwardOptions', 'create,get'],
      'pods/ephemeralcontainers': ['', 'v1', 'Pod', 'get,patch,update'],
    });
  });

  it('serves namespaces without deletecollection, with finalize', () => {
    expect(entry('', 'v1', 'namespaces')).toMatchObject({ namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] });
    expect(entry('', 'v1', 'namespaces/finalize')).toMatchObject({ kind: 'Namespace', verbs: ['update'] });
  });

  it('gives scalable workloads an autoscaling/v1 Scale subresource', () => {
    for (const [group, name] of [['apps', 'deployments'], ['apps', 'replicasets'], ['apps', 'statefulsets']]) {
      expect(entry(group, 'v1', `${name}/scale`)).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    }
    expect(entry('apps', 'v1', 'daemonsets/scale')).toBeUndefined();
  });

  it('puts exactly upstream\'s kinds in the "all" category', () => {
    const inAll = resources.filter((d) => d.categories?.includes('all')).map((d) => `${d.plural}.${d.group || 'core'}/${d.version}`).sort();
    expect(inAll).toEqual([
      'cronjobs.batch/v1', 'daemonsets.apps/v1', 'deployments.apps/v1', 'horizontalpodautoscalers.autoscaling/v1', 'horizontalpodautoscalers.autoscaling/v2',
      'jobs.batch/v1', 'pods.core/v1', 'replicasets.apps/v1', 'services.core/v1', 'statefulsets.apps/v1',
    ]);
  });

  it('uses upstream\'s short names', () => {
    const short = Object.fromEntries(resources.filter((d) => d.shortNames).map((d) => [`${d.plural}.${d.group}/${d.version}`, d.shortNames!.join(',')]));
    expect(short).toEqual({
      'namespaces./v1': 'ns', 'pods./v1': 'po', 'nodes./v1': 'no', 'services./v1': 'svc', 'endpoints./v1': 'ep', 'configmaps./v1': 'cm', 'serviceaccounts./v1': 'sa',
      'events./v1': 'ev', 'persistentvolumes./v1': 'pv', 'persistentvolumeclaims./v1': 'pvc', 'resourcequotas./v1': 'quota', 'limitranges./v1': 'limits',
      'deployments.apps/v1': 'deploy', 'replicasets.apps/v1': 'rs', 'statefulsets.apps/v1': 'sts', 'daemonsets.apps/v1': 'ds', 'cronjobs.batch/v1': 'cj',
      'horizontalpodautoscalers.autoscaling/v2': 'hpa', 'horizontalpodautoscalers.autoscaling/v1': 'hpa', 'ingresses.networking.k8s.io/v1': 'ing',
      'networkpolicies.networking.k8s.io/v1': 'netpol', 'poddisruptionbudgets.policy/v1': 'pdb', 'storageclasses.storage.k8s.io/v1': 'sc', 'events.events.k8s.io/v1': 'ev', 'priorityclasses.scheduling.k8s.io/v1': 'pc',
      'customresourcedefinitions.apiextensions.k8s.io/v1': 'crd,crds',
    });
  });

  it('prefers autoscaling/v2 over v1', () => {
    const autoscaling = apiGroupList(resources).groups.find((g) => g.name === 'autoscaling')!;
    expect(autoscaling.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    expect(autoscaling.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
  });
});

describe('aggregated discovery', () => {
  it('carries the same facts with response kinds', () => {
    const apps = aggregatedDiscovery(resources, false).items.find((i) => i.metadata.name === 'apps')!;
    const deploy = apps.versions[0].resources.find((r) => r.resource === 'deployments')!;
    expect(deploy).toMatchObject({
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, scope: 'Namespaced', singularResource: 'deployment', shortNames: ['deploy'], categories: ['all'],
      subresources: [
        { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
    const core = aggregatedDiscovery(resources, true).items;
    expect(core.map((i) => i.metadata.name)).toEqual(['']);
    expect(core[0].versions[0].resources.find((r) => r.resource === 'nodes')).toMatchObject({ scope: 'Cluster', shortNames: ['no'] });
  });
});
