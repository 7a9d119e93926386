import type { ResourceDef } from '../resource.ts';
import type { FieldError } from '../status.ts';
import { invalidPrinted, required } from '../validation/index.ts';
import { ageCol, col, created, createdAt, nameCol, resource, table, wide } from './define.ts';

/** rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding. */

const GROUP = 'rbac.authorization.k8s.io';
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** SetDefaults_Subject / _RoleBinding: users, groups and roleRefs name the RBAC group. */
function defaultBinding(o: any): void {
  if (o.roleRef && typeof o.roleRef === 'object') o.roleRef.apiGroup ||= GROUP;
  for (const s of arr(o.subjects)) if (s && typeof s === 'object' && !s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = GROUP;
}

function validateBinding(o: any): FieldError[] {
  const out: FieldError[] = [];
  if (o.roleRef?.apiGroup !== GROUP) out.push({ type: 'FieldValueNotSupported', field: 'roleRef.apiGroup', message: `Unsupported value: ${JSON.stringify(o.roleRef?.apiGroup ?? '')}: supported values: "${GROUP}"` });
  if (!o.roleRef?.name) out.push(required('roleRef.name'));
  arr(o.subjects).forEach((s, i) => {
    if (!s?.name) out.push(required(`subjects[${i}].name`));
    if (s?.kind === 'ServiceAccount' && o.kind === 'ClusterRoleBinding' && !s.namespace) out.push(required(`subjects[${i}].namespace`));
  });
  return out;
}

/** ValidateRoleBindingUpdate: a binding's roleRef is fixed (the RoleRef struct prints with %#v). */
function validateBindingUpdate(o: any, old: any): FieldError[] {
  const r = o.roleRef ?? {};
  const w = old.roleRef ?? {};
  if (r.apiGroup === w.apiGroup && r.kind === w.kind && r.name === w.name) return [];
  return [invalidPrinted('roleRef', `rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}}`, 'cannot change roleRef')];
}

/** SubjectsStrings: users and groups by name, service accounts as namespace/name. */
const subjects = (o: any, kind: string) => arr(o.subjects).filter((s) => s?.kind === kind).map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name)).join(', ');

const bindingTable = table([nameCol, col('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'), ageCol,
  wide(col('Users', 'Users in the roleBinding')), wide(col('Groups', 'Groups in the roleBinding')), wide(col('ServiceAccounts', 'ServiceAccounts in the roleBinding'))],
(o, now) => [o.metadata.name, `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`, created(o, now), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')]);

const roleTable = table([nameCol, col('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.')], (o) => [o.metadata.name, createdAt(o)]);

const bindingStrategy = { defaults: defaultBinding, validate: validateBinding, validateUpdate: validateBindingUpdate };

export const rbac: ResourceDef[] = [
  resource(GROUP, 'v1', { kind: 'Role', plural: 'roles', nameRule: 'path', table: roleTable }),
  resource(GROUP, 'v1', { kind: 'ClusterRole', plural: 'clusterroles', namespaced: false, nameRule: 'path', table: roleTable }),
  resource(GROUP, 'v1', { kind: 'RoleBinding', plural: 'rolebindings', nameRule: 'path', strategy: bindingStrategy, table: bindingTable }),
  resource(GROUP, 'v1', { kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false, nameRule: 'path', strategy: bindingStrategy, table: bindingTable }),
];
