/** One rule of a Role or ClusterRole (rbac.authorization.k8s.io/v1 PolicyRule). */
export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** What a request does, as the authorizer sees it (apiserver's authorizer.Attributes). */
export type Attributes =
  | { kind: 'resource'; verb: string; namespace: string; group: string; version?: string; resource: string; subresource: string; name: string }
  | { kind: 'nonResource'; verb: string; path: string };

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

/**
 * Whether `rule` covers `a`, after upstream's RuleAllows: `*` matches any verb, group, resource
 * (subresources included) or URL; `*\/sub` matches that subresource of any resource; a URL
 * ending in `*` matches by prefix; resourceNames, when given, limit the names.
 */
export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.kind === 'nonResource') return urlMatches(rule.nonResourceURLs ?? [], a.path);
  if (!has(rule.apiGroups, a.group)) return false;
  if (!resourceMatches(rule.resources ?? [], a.resource, a.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(a.name);
}

function resourceMatches(resources: string[], resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return resources.some((r) => r === '*' || r === combined || (!!subresource && r === `*/${subresource}`));
}

function urlMatches(urls: string[], path: string): boolean {
  return urls.some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}
