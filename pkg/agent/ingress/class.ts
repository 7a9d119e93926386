import type { networking, KObject } from '../../api/types/index.ts';

type Ingress = networking.Ingress & KObject;
type IngressClass = networking.IngressClass & KObject;

/** The IngressClass every server creates, and the controller name that marks classes skiff serves. */
export const ingressClassName = 'skiff';
export const ingressController = 'skiff.io/ingress';
export const defaultClassAnnotation = 'ingressclass.kubernetes.io/is-default-class';
const legacyClassAnnotation = 'kubernetes.io/ingress.class';

/** The IngressClass created at server start (default class, so Ingresses without a class are ours). */
export function skiffIngressClass(): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: ingressClassName, annotations: { [defaultClassAnnotation]: 'true' } },
    spec: { controller: ingressController },
  };
}

/**
 * Whether skiff serves `ing`: its class (spec.ingressClassName, else the deprecated
 * `kubernetes.io/ingress.class` annotation) is a class whose controller is skiff's, or it names
 * no class at all. Ingresses being deleted are not served.
 */
export function isServed(ing: Ingress, classes: IngressClass[]): boolean {
  if (ing.metadata.deletionTimestamp) return false;
  const cls = ing.spec?.ingressClassName ?? ing.metadata.annotations?.[legacyClassAnnotation];
  if (!cls) return true;
  if (cls === ingressClassName) return true;
  return classes.some((c) => c.metadata.name === cls && c.spec?.controller === ingressController);
}
