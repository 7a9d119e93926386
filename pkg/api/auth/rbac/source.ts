import type { ApiHandler, UserInfo } from '../../request.ts';
import type { ResourceDef } from '../../resource.ts';
import { isNotFound } from '../../status.ts';
import type { KObject } from '../../types/index.ts';
import type { Binding, RbacSource } from './evaluator.ts';
import type { PolicyRule } from './rules.ts';

const GROUP = 'rbac.authorization.k8s.io';

/** An RbacSource reading the stored objects through `handler` on every call (always current). */
export function handlerRbacSource(handler: ApiHandler, resources: ResourceDef[], user: UserInfo): RbacSource {
  const def = (plural: string) => resources.find((d) => d.group === GROUP && d.version === 'v1' && d.plural === plural);
  const list = async (plural: string, namespace?: string): Promise<KObject[]> => {
    const d = def(plural);
    return d ? (await handler.list({ verb: 'list', def: d, namespace, options: {} }, user)).items : [];
  };
  const rules = async (plural: string, name: string, namespace?: string): Promise<PolicyRule[] | undefined> => {
    const d = def(plural);
    if (!d || !name) return undefined;
    try {
      const o = await handler.get({ verb: 'get', def: d, namespace, name }, user);
      return Array.isArray(o.rules) ? (o.rules as PolicyRule[]) : [];
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return {
    clusterRoleBindings: async () => (await list('clusterrolebindings')).map((o) => toBinding('ClusterRoleBinding', o)),
    roleBindings: async (ns) => (await list('rolebindings', ns)).map((o) => toBinding('RoleBinding', o)),
    clusterRole: (name) => rules('clusterroles', name),
    role: (ns, name) => rules('roles', name, ns),
  };
}

function toBinding(kind: Binding['kind'], o: KObject): Binding {
  return {
    kind, name: o.metadata.name ?? '', namespace: kind === 'RoleBinding' ? (o.metadata.namespace ?? '') : '',
    subjects: Array.isArray(o.subjects) ? (o.subjects as Binding['subjects']) : [],
    roleRef: (o.roleRef as Binding['roleRef'] | undefined) ?? {},
  };
}
