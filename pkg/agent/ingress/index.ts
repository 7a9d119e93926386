// The node's ingress proxy: served Ingresses compiled into a route table, requests matched by host
// and path (with ingress-nginx's canary annotations), proxied straight to the backends' endpoints.
export { buildRoutes, hostOf, matchRoute, pathMatches } from './routes.ts';
export type { BackendRef, Route, RouteTable } from './routes.ts';
export { canaryOf, cookieValue, useCanary } from './canary.ts';
export type { Canary } from './canary.ts';
export { backendEndpoints } from './endpoints.ts';
export type { Endpoint } from './endpoints.ts';
export { defaultClassAnnotation, ingressClassName, ingressController, isServed, skiffIngressClass } from './class.ts';
export { Router, pathOf } from './router.ts';
export type { Decision, RouterDeps } from './router.ts';
export { CertStore, lookupHost, tlsSecrets } from './certs.ts';
export { backendHeaders, forwardRequest, forwardUpgrade, sendStatus } from './forward.ts';
export { ingressProxy } from './ingress-proxy.ts';
export type { IngressProxy, IngressProxyOptions } from './ingress-proxy.ts';
