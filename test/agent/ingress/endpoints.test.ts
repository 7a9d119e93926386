import { describe, expect, it } from 'vitest';
import { backendEndpoints } from '../../../pkg/agent/ingress/endpoints.ts';
import { isServed } from '../../../pkg/agent/ingress/class.ts';
import type { core, discovery, networking, KObject } from '../../../pkg/api/types/index.ts';

const svc: core.Service = { spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'admin', port: 9000, protocol: 'TCP' }] } };
const slice = (port: string, eps: [string, boolean?, boolean?][]): discovery.EndpointSlice => ({
  addressType: 'IPv4',
  ports: [{ name: port, port: port === 'http' ? 8080 : 9090, protocol: 'TCP' }],
  endpoints: eps.map(([ip, ready, terminating]) => ({ addresses: [ip], conditions: { ready, terminating } })),
});

describe('backendEndpoints', () => {
  const slices = [slice('http', [['10.0.0.2', true], ['10.0.0.1', true], ['10.0.0.3', false], ['10.0.0.4', true, true]]), slice('admin', [['10.0.0.1', true]])];
  it('resolves the service port by number or name to the ready endpoints of its slices', () => {
    const want = [{ ip: '10.0.0.1', port: 8080 }, { ip: '10.0.0.2', port: 8080 }];
    expect(backendEndpoints({ namespace: 'd', service: 's', port: 80 }, svc, slices)).toEqual(want);
    expect(backendEndpoints({ namespace: 'd', service: 's', port: 'http' }, svc, slices)).toEqual(want);
    expect(backendEndpoints({ namespace: 'd', service: 's', port: 9000 }, svc, slices)).toEqual([{ ip: '10.0.0.1', port: 9090 }]);
  });
  it('has none for an unknown service or port, or an ExternalName service', () => {
    expect(backendEndpoints({ namespace: 'd', service: 's', port: 81 }, svc, slices)).toEqual([]);
    expect(backendEndpoints({ namespace: 'd', service: 's', port: 80 }, undefined, slices)).toEqual([]);
    expect(backendEndpoints({ namespace: 'd', service: 's', port: 80 }, { spec: { type: 'ExternalName', externalName: 'x' } }, slices)).toEqual([]);
  });
});

describe('isServed', () => {
  const ing = (cls?: string, annotation?: string) => ({ metadata: { name: 'i', annotations: annotation ? { 'kubernetes.io/ingress.class': annotation } : undefined }, spec: { ingressClassName: cls } }) as networking.Ingress & KObject;
  const classes = [{ metadata: { name: 'mine' }, spec: { controller: 'skiff.io/ingress' } }, { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }] as (networking.IngressClass & KObject)[];
  it('serves no class, class skiff and classes of the skiff controller; ignores others', () => {
    expect(isServed(ing(), classes)).toBe(true);
    expect(isServed(ing('skiff'), [])).toBe(true);
    expect(isServed(ing('mine'), classes)).toBe(true);
    expect(isServed(ing('nginx'), classes)).toBe(false);
    expect(isServed(ing('unknown'), classes)).toBe(false);
    expect(isServed(ing(undefined, 'nginx'), classes)).toBe(false);
  });
});
