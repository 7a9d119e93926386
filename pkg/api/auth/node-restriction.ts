import type { RegistryHandler } from '../registry/index.ts';
import type { ApiRequest, UserInfo } from '../request.ts';
import { forbidden } from '../status.ts';
import type { KObject } from '../types/index.ts';
import type { ObjectLookup } from './serviceaccount/tokens.ts';

// What a node may write (DESIGN.md §7: a node acts only on its own Node and on pods bound to it),
// after upstream's node authorizer and NodeRestriction admission: its Node (and status), its
// Lease in kube-node-lease, the status of pods bound to it and their deletion or eviction,
// tokens for service accounts bound to such a pod, events, and reviews (token, access, self).
// Reads are not restricted yet (upstream limits a node's secrets and configmaps to those its pods use).

export const nodesGroup = 'system:nodes';
const nodeUserPrefix = 'system:node:';
const nodeLeaseNamespace = 'kube-node-lease';

type Write = Extract<ApiRequest, { verb: 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' }>;

/**
 * `handler`, with every write by a node identity (group system:nodes, not system:masters)
 * checked first; refusals are 403 Forbidden worded as kube-apiserver's authorizer. Other users
 * pass through untouched.
 */
export function withNodeRestriction(handler: RegistryHandler, lookup: ObjectLookup): RegistryHandler {
  const check = async (req: Write, user: UserInfo): Promise<void> => {
    if (!user.groups.includes(nodesGroup) || user.groups.includes('system:masters')) return;
    const node = user.name.startsWith(nodeUserPrefix) ? user.name.slice(nodeUserPrefix.length) : undefined;
    const reason = node === undefined ? 'not a node identity (system:node:<name>)' : await refusal(req, node, lookup);
    if (reason !== undefined) throw denied(req, user, reason);
  };
  return {
    ...handler,
    async create(req, user) { await check(req, user); return handler.create(req, user); },
    async update(req, user) { await check(req, user); return handler.update(req, user); },
    async patch(req, user) { await check(req, user); return handler.patch(req, user); },
    async delete(req, user) { await check(req, user); return handler.delete(req, user); },
    async deletecollection(req, user) { await check(req, user); return handler.deletecollection(req, user); },
  };
}

/** Why `node` may not make this write; undefined when it may ('' : refused without a reason). */
async function refusal(req: Write, node: string, lookup: ObjectLookup): Promise<string | undefined> {
  const { def } = req;
  const name = nameOf(req);
  const sub = 'subresource' in req ? req.subresource : undefined;
  if (req.verb === 'deletecollection') return '';
  if (def.plural === 'events' && (def.group === '' || def.group === 'events.k8s.io')) return undefined;
  // Reviews store nothing; upstream's system:node role may create token and access reviews, and everyone self reviews.
  if ((def.group === 'authentication.k8s.io' || def.group === 'authorization.k8s.io') && req.verb === 'create') return undefined;
  if (def.group === '' && def.plural === 'nodes') {
    return name === node && (sub === undefined || sub === 'status') ? undefined : `node "${node}" is not allowed to modify node "${name ?? ''}"`;
  }
  if (def.group === 'coordination.k8s.io' && def.plural === 'leases' && req.namespace === nodeLeaseNamespace) {
    return name === node ? undefined : 'can only access node lease with the same name as the requesting node';
  }
  if (def.group === '' && def.plural === 'pods') {
    const allowed = (req.verb === 'delete' && !sub) || ((req.verb === 'update' || req.verb === 'patch') && sub === 'status') || (req.verb === 'create' && sub === 'eviction');
    if (!allowed || !name) return '';
    return (await boundTo(lookup, req.namespace, name)) === node ? undefined : `no relationship found between node '${node}' and this object`;
  }
  if (def.group === '' && def.plural === 'serviceaccounts' && req.verb === 'create' && sub === 'token') {
    const ref = ((req.body as { spec?: { boundObjectRef?: { kind?: unknown; name?: unknown; uid?: unknown } } }).spec?.boundObjectRef) ?? {};
    if (ref.kind !== 'Pod' || typeof ref.name !== 'string') return `node requested token not bound to a pod`;
    const pod = await lookup('Pod', req.namespace ?? 'default', ref.name);
    const sa = (pod?.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default';
    if (!pod || nodeOf(pod) !== node || (ref.uid !== undefined && ref.uid !== pod.metadata.uid) || sa !== name) {
      return `no relationship found between node '${node}' and this object`;
    }
    return undefined;
  }
  return '';
}

function nameOf(req: Write): string | undefined {
  if (req.verb === 'create') return req.name ?? req.body?.metadata?.name;
  if (req.verb === 'deletecollection') return undefined;
  return req.name;
}

async function boundTo(lookup: ObjectLookup, namespace: string | undefined, name: string): Promise<string | undefined> {
  const pod = await lookup('Pod', namespace ?? 'default', name);
  return pod ? nodeOf(pod) : undefined;
}

const nodeOf = (pod: KObject) => (pod.spec as { nodeName?: string } | undefined)?.nodeName;

// The authorization filter's message: `<resource> "<name>" is forbidden: User "…" cannot <verb> resource …: <reason>`.
function denied(req: Write, user: UserInfo, reason: string) {
  const { def } = req;
  const name = nameOf(req) ?? '';
  const sub = 'subresource' in req && req.subresource ? `/${req.subresource}` : '';
  const scope = req.namespace ? `in the namespace "${req.namespace}"` : 'at the cluster scope';
  const gr = def.group ? `${def.plural}.${def.group}` : def.plural;
  const subject = name ? `${gr} "${name}" is forbidden` : `${gr} is forbidden`;
  return forbidden(`${subject}: User "${user.name}" cannot ${req.verb} resource "${def.plural}${sub}" in API group "${def.group}" ${scope}${reason ? `: ${reason}` : ''}`,
    { ...(name && { name }), group: def.group, kind: def.plural });
}
