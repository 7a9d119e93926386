import type { ResourceDef } from '../resource.ts';
import { resource } from './define.ts';

/**
 * authentication.k8s.io/v1 and authorization.k8s.io/v1: the reviews. Create-only and never
 * stored; pkg/api/auth answers them (withAuthApis) before the registry would see them.
 */
const review = (group: string, kind: string, namespaced = false) =>
  resource(group, 'v1', { kind, plural: `${kind.toLowerCase()}s`, namespaced, verbs: ['create'] });

export const authApis: ResourceDef[] = [
  review('authentication.k8s.io', 'SelfSubjectReview'),
  review('authentication.k8s.io', 'TokenReview'),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', true),
  review('authorization.k8s.io', 'SelfSubjectAccessReview'),
  review('authorization.k8s.io', 'SelfSubjectRulesReview'),
  review('authorization.k8s.io', 'SubjectAccessReview'),
];
