import type { ResourceDef } from '../resource.ts';
import { allVerbs, groupVersions, subresourceInfo } from './legacy.ts';

/**
 * Aggregated discovery (apidiscovery.k8s.io v2): `/api` → one item named "", `/apis` → one per
 * group, preferred version first. client-go picks the decoder from the response Content-Type,
 * so the caller must answer with `aggregatedContentType`.
 */
export const aggregatedContentType = (version: 'v2' | 'v2beta1') =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

export function aggregatedDiscovery(defs: ResourceDef[], core: boolean, version: 'v2' | 'v2beta1' = 'v2') {
  const groups = groupVersions(defs).filter((g) => (g.group === '') === core);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group },
      versions: g.versions.map((v) => ({
        version: v,
        freshness: 'Current',
        resources: defs.filter((d) => d.group === g.group && d.version === v).map((d) => ({
          resource: d.plural,
          responseKind: { group: d.group, version: d.version, kind: d.kind },
          scope: d.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: d.singular,
          verbs: d.verbs ?? allVerbs,
          ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
          ...(d.categories?.length ? { categories: d.categories } : {}),
          ...(d.subresources?.length ? {
            subresources: d.subresources.map((s) => {
              const info = subresourceInfo(d, s);
              return { subresource: s.name, responseKind: { group: info.group, version: info.version, kind: info.kind }, verbs: info.verbs };
            }),
          } : {}),
        })),
      })),
    })),
  };
}
