import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../request.ts';
import { badRequest, forbidden } from '../status.ts';
import type { Decision } from './rbac/evaluator.ts';
import type { Attributes } from './rbac/rules.ts';
import { serviceAccountPrefix } from './serviceaccount/claims.ts';

export type Authorize = (user: UserInfo, a: Attributes) => Promise<Decision>;

const extraPrefix = 'impersonate-extra-';

/**
 * The identity a request acts as: `user` itself, or — with Impersonate-User (and optionally
 * Impersonate-Group, Impersonate-Uid, Impersonate-Extra-<key>) — the impersonated identity,
 * after `authorize` has allowed `user` the verb `impersonate` on each part, as kube-apiserver's
 * impersonation filter does. Refusals are 403 Forbidden worded as upstream.
 */
export async function impersonate(req: IncomingMessage, user: UserInfo, authorize: Authorize): Promise<UserInfo> {
  const h = req.headersDistinct;
  const name = h['impersonate-user']?.[0];
  const groups = h['impersonate-group'] ?? [];
  const uid = h['impersonate-uid']?.[0];
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(h)) {
    if (k.startsWith(extraPrefix) && v) extra[decodeURIComponent(k.slice(extraPrefix.length))] = v;
  }
  if (name === undefined) {
    if (groups.length || uid !== undefined || Object.keys(extra).length) throw badRequest('requested impersonation of groups, uid or extra without impersonating a user');
    return user;
  }

  const checks: ResourceAttributes[] = [];
  const sa = name.startsWith(serviceAccountPrefix) ? name.slice(serviceAccountPrefix.length).split(':') : undefined;
  if (sa?.length === 2) checks.push(attrs('', 'serviceaccounts', sa[1]!, sa[0]!));
  else checks.push(attrs('', 'users', name));
  for (const g of groups) checks.push(attrs('', 'groups', g));
  if (uid !== undefined) checks.push(attrs('authentication.k8s.io', 'uids', uid));
  for (const [k, vs] of Object.entries(extra)) for (const v of vs) checks.push({ ...attrs('authentication.k8s.io', 'userextras', v), subresource: k });
  for (const a of checks) {
    if (!(await authorize(user, a)).allowed) {
      const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
      const what = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
      throw forbidden(`${a.resource}${a.group ? `.${a.group}` : ''} "${a.name}" is forbidden: User "${user.name}" cannot impersonate resource "${what}" in API group "${a.group}" ${scope}`,
        { name: a.name, group: a.group, kind: a.resource });
    }
  }

  const all = [...groups];
  if (sa?.length === 2) all.push('system:serviceaccounts', `system:serviceaccounts:${sa[0]}`);
  if (name !== 'system:anonymous' && !all.includes('system:authenticated')) all.push('system:authenticated');
  return { name, groups: [...new Set(all)], ...(uid !== undefined ? { uid } : {}), ...(Object.keys(extra).length ? { extra } : {}) };
}

type ResourceAttributes = Extract<Attributes, { kind: 'resource' }>;

const attrs = (group: string, resource: string, name: string, namespace = ''): ResourceAttributes =>
  ({ kind: 'resource', verb: 'impersonate', namespace, group, resource, subresource: '', name });
