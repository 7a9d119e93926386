import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { api, podWith, refusal } from './fixtures.ts';

type Pod = KObject & { status?: unknown; spec: { containers: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[] } };
const limitRange = (name: string, limits: object[]) => ({ metadata: { name }, spec: { limits } } as KObject);

describe('limitRanger', () => {
  it('fills missing container requests and limits from the Container defaults and notes it in an annotation', async () => {
    const c = await api();
    await c.resource('v1', 'limitranges').create('default', limitRange('defaults', [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' } }]));
    const pod = await c.resource('v1', 'pods').create('default', podWith('p', {}, { limits: { cpu: '1' } })) as Pod;
    // defaultRequest.memory comes from default (LimitRange defaulting); c1's cpu request defaults from its own limit.
    expect(pod.spec.containers[0]!.resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    expect(pod.spec.containers[1]!.resources).toEqual({ limits: { cpu: '1', memory: '256Mi' }, requests: { cpu: '1', memory: '256Mi' } });
    expect((pod.status as { qosClass?: string }).qosClass).toBe('Burstable');
    expect(pod.metadata.annotations?.['kubernetes.io/limit-ranger'])
      .toBe('LimitRanger plugin set: cpu, memory request for container c0; cpu, memory limit for container c0; memory request for container c1; memory limit for container c1');
  });

  it('refuses containers outside min and max with upstream\'s messages, several at once in brackets', async () => {
    const c = await api();
    await c.resource('v1', 'limitranges').create('default', limitRange('bounds', [{ type: 'Container', min: { cpu: '100m' }, max: { cpu: '1', memory: '1Gi' } }]));
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('small', { requests: { cpu: '50m' }, limits: { cpu: '200m' } }))))
      .toEqual([403, 'pods "small" is forbidden: minimum cpu usage per Container is 100m, but request is 50m']);
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('big', { requests: { cpu: '2' }, limits: { cpu: '2', memory: '2Gi' } }))))
      .toEqual([403, 'pods "big" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]']);
    // max supplies the default limit, so an unstated container fits.
    const ok = await c.resource('v1', 'pods').create('default', podWith('fits', {})) as Pod;
    expect(ok.spec.containers[0]!.resources?.limits).toEqual({ cpu: '1', memory: '1Gi' });
    expect(await c.resource('v1', 'pods').list('default').then((l) => l.items.map((p) => p.metadata.name))).toEqual(['fits']);
  });

  it('bounds the limit to request ratio, and Pod items the pod\'s totals', async () => {
    const c = await api();
    await c.resource('v1', 'limitranges').create('default', limitRange('ratio', [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }, { type: 'Pod', max: { memory: '1Gi' } }]));
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('r', { requests: { cpu: '100m', memory: '1Mi' }, limits: { cpu: '500m', memory: '1Mi' } }))))
      .toEqual([403, 'pods "r" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000']);
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('n', { limits: { memory: '1Mi' } }))))
      .toEqual([403, 'pods "n" is forbidden: cpu max limit to request ratio per Container is 2, but no request is specified or request is 0']);
    const two = { requests: { cpu: '1' }, limits: { cpu: '1', memory: '600Mi' } };
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('t', two, two))))
      .toEqual([403, 'pods "t" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1200Mi']);
    await c.resource('v1', 'pods').create('default', podWith('one', two));
  });

  it('bounds the storage a claim requests', async () => {
    const c = await api();
    await c.resource('v1', 'limitranges').create('default', limitRange('storage', [{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }]));
    const claim = (name: string, storage: string) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } } as KObject);
    expect(await refusal(c.resource('v1', 'persistentvolumeclaims').create('default', claim('huge', '20Gi'))))
      .toEqual([403, 'persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi']);
    expect(await refusal(c.resource('v1', 'persistentvolumeclaims').create('default', claim('tiny', '100Mi'))))
      .toEqual([403, 'persistentvolumeclaims "tiny" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 100Mi']);
    await c.resource('v1', 'persistentvolumeclaims').create('default', claim('fine', '5Gi'));
  });
});
