import type { ResourceDef, Subresource, Verb } from '../resource.ts';

/** Discovery documents, all derived from the resource table (kubectl-api.md §4). */

export const allVerbs: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface GroupVersions {
  group: string;
  versions: string[]; // preferred first
}

/** Groups in table order; a group's preferred version is its highest stable one (autoscaling → v2). */
export function groupVersions(defs: ResourceDef[]): GroupVersions[] {
  const out = new Map<string, Set<string>>();
  for (const d of defs) {
    if (!out.has(d.group)) out.set(d.group, new Set());
    out.get(d.group)!.add(d.version);
  }
  return [...out].map(([group, vs]) => ({ group, versions: [...vs].sort(compareVersions) }));
}

// v2 > v1 > v1beta1 > v1alpha1, as Kubernetes orders versions.
function compareVersions(a: string, b: string): number {
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [Number(m[1]), m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i] - x[i];
  return 0;
}

const gv = (group: string, version: string) => (group ? `${group}/${version}` : version);

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(g: GroupVersions) {
  const versions = g.versions.map((version) => ({ groupVersion: gv(g.group, version), version }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(defs: ResourceDef[]) {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupVersions(defs).filter((g) => g.group !== '').map(apiGroup) };
}

export function apiGroupDoc(defs: ResourceDef[], group: string) {
  const g = groupVersions(defs).find((x) => x.group === group);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) };
}

export function subresourceInfo(def: ResourceDef, s: Subresource): { group: string; version: string; kind: string; verbs: Verb[] } {
  switch (s.name) {
    case 'status':
    case 'ephemeralcontainers':
      return { group: def.group, version: def.version, kind: def.kind, verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    default:
      return {
        group: s.group ?? def.group,
        version: s.version ?? def.version,
        kind: s.kind ?? (s.name === 'binding' ? 'Binding' : s.name === 'eviction' ? 'Eviction' : def.kind),
        // As upstream: binding and eviction are create-only, finalize update-only, log get-only.
        verbs: s.verbs ?? (s.name === 'finalize' ? ['update'] : s.name === 'log' ? ['get'] : s.name === 'binding' || s.name === 'eviction' ? ['create'] : ['create', 'get']),
      };
  }
}

export function apiResourceList(defs: ResourceDef[], group: string, version: string) {
  const mine = defs.filter((d) => d.group === group && d.version === version);
  if (mine.length === 0) return undefined;
  const resources: object[] = [];
  for (const d of mine) {
    resources.push({
      name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs ?? allVerbs,
      ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
      ...(d.categories?.length ? { categories: d.categories } : {}),
    });
    for (const s of d.subresources ?? []) {
      const info = subresourceInfo(d, s);
      resources.push({
        name: `${d.plural}/${s.name}`, singularName: '', namespaced: d.namespaced, kind: info.kind, verbs: info.verbs,
        ...(info.group !== d.group || info.version !== d.version ? { group: info.group, version: info.version } : {}),
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(group, version), resources };
}
