import type { UserInfo } from '../../request.ts';
import { ruleAllows, type Attributes, type PolicyRule } from './rules.ts';

export interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface RoleRef {
  kind?: string;
  name?: string;
}

export interface Binding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  /** A RoleBinding's namespace; '' for a ClusterRoleBinding. */
  namespace: string;
  subjects: Subject[];
  roleRef: RoleRef;
}

/**
 * The RBAC objects the evaluator reads; each call reflects the current state (a store read or
 * an informer cache). `role` and `clusterRole` resolve to undefined when absent.
 */
export interface RbacSource {
  clusterRoleBindings(): Promise<Binding[]>;
  roleBindings(namespace: string): Promise<Binding[]>;
  clusterRole(name: string): Promise<PolicyRule[] | undefined>;
  role(namespace: string, name: string): Promise<PolicyRule[] | undefined>;
}

export interface Decision {
  allowed: boolean;
  /** Which binding allowed it, worded as upstream's RBAC authorizer. */
  reason: string;
  /** Missing roles met on the way (upstream's evaluationError). */
  evaluationError?: string;
}

/** Members of this group may do anything (kube-apiserver's privileged group). */
export const mastersGroup = 'system:masters';

/**
 * Role-based access control as kube-apiserver's RBAC authorizer decides it: cluster role bindings
 * first, then role bindings of the request's namespace; a binding applies when one of its subjects
 * is the user, one of the user's groups, or the user's service account. Anything not allowed is
 * denied (no deny rules exist). Aggregated cluster roles are read as stored.
 */
export class RbacEvaluator {
  constructor(private readonly source: RbacSource) {}

  async authorize(user: UserInfo, a: Attributes): Promise<Decision> {
    if (user.groups.includes(mastersGroup)) return { allowed: true, reason: `allowed by membership in the ${mastersGroup} group` };
    const errors: string[] = [];
    for await (const { binding, subject, rules } of this.applicable(user, a.kind === 'resource' ? a.namespace : '', errors)) {
      if (rules.some((r) => ruleAllows(r, a))) {
        const id = binding.namespace ? `${binding.name}/${binding.namespace}` : binding.name;
        return { allowed: true, reason: `RBAC: allowed by ${binding.kind} "${id}" of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${describeSubject(subject)}` };
      }
    }
    return { allowed: false, reason: '', ...(errors.length ? { evaluationError: `[${errors.join(', ')}]` } : {}) };
  }

  /** Every rule granted to `user` in `namespace` ('' = cluster-wide only), for SelfSubjectRulesReview. */
  async rulesFor(user: UserInfo, namespace: string): Promise<{ rules: PolicyRule[]; errors: string[] }> {
    if (user.groups.includes(mastersGroup)) return { rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }], errors: [] };
    const errors: string[] = [];
    const rules: PolicyRule[] = [];
    for await (const g of this.applicable(user, namespace, errors)) rules.push(...g.rules);
    return { rules, errors };
  }

  private async *applicable(user: UserInfo, namespace: string, errors: string[]) {
    const bindings = [...await this.source.clusterRoleBindings(), ...(namespace ? await this.source.roleBindings(namespace) : [])];
    for (const binding of bindings) {
      const subject = binding.subjects.find((s) => appliesTo(s, user, binding.namespace));
      if (!subject) continue;
      const rules = await this.rulesOf(binding);
      if (typeof rules === 'string') {
        errors.push(rules);
        continue;
      }
      yield { binding, subject, rules };
    }
  }

  private async rulesOf(b: Binding): Promise<PolicyRule[] | string> {
    const name = b.roleRef.name ?? '';
    if (b.roleRef.kind === 'ClusterRole') return (await this.source.clusterRole(name)) ?? `clusterrole.rbac.authorization.k8s.io "${name}" not found`;
    if (b.roleRef.kind === 'Role' && b.namespace) return (await this.source.role(b.namespace, name)) ?? `role.rbac.authorization.k8s.io "${name}" not found`;
    return `unknown role kind "${b.roleRef.kind ?? ''}"`;
  }
}

function appliesTo(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.name;
    case 'Group':
      return !!s.name && user.groups.includes(s.name);
    case 'ServiceAccount':
      return !!s.name && user.name === `system:serviceaccount:${s.namespace || bindingNamespace}:${s.name}`;
    default:
      return false;
  }
}

function describeSubject(s: Subject): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount "${s.namespace ? `${s.namespace}/` : ''}${s.name}"`;
  return `${s.kind} "${s.name}"`;
}
