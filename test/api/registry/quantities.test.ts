import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { api, podWith, refusal } from '../admission/fixtures.ts';

const rule = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

describe('checkQuantities', () => {
  it('refuses resource quantities Go\'s decoder would not parse, on create, update, patch and apply', async () => {
    const c = await api();
    expect(await refusal(c.resource('v1', 'pods').create('default', podWith('p', { limits: { cpu: 'lots' } }))))
      .toEqual([400, `Pod in version "v1" cannot be handled as a Pod: ${rule}`]);
    expect(await refusal(c.resource('v1', 'resourcequotas').create('default', { metadata: { name: 'q' }, spec: { hard: { pods: '1K' } } } as KObject)))
      .toEqual([400, `ResourceQuota in version "v1" cannot be handled as a ResourceQuota: ${rule}`]);
    expect(await refusal(c.resource('v1', 'limitranges').create('default', { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: true } }] } } as KObject)))
      .toEqual([400, `LimitRange in version "v1" cannot be handled as a LimitRange: ${rule}`]);

    // Numbers and suffixed text are quantities.
    const q = await c.resource('v1', 'resourcequotas').create('default', { metadata: { name: 'q' }, spec: { hard: { pods: 2, 'requests.memory': '1.5Gi', 'requests.cpu': '1e3' } } } as KObject);
    expect(await refusal(c.resource('v1', 'resourcequotas').update('default', { ...q, spec: { hard: { pods: '' } } } as KObject)))
      .toEqual([400, `ResourceQuota in version "v1" cannot be handled as a ResourceQuota: ${rule}`]);
    expect(await refusal(c.resource('v1', 'resourcequotas').patch('default', 'q', 'merge', { spec: { hard: { pods: 'two' } } })))
      .toEqual([400, `ResourceQuota in version "v1" cannot be handled as a ResourceQuota: ${rule}`]);
    expect(await refusal(c.resource('v1', 'resourcequotas').patch('default', 'q', 'apply', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { pods: '3 pods' } } }, { fieldManager: 't' })))
      .toEqual([400, `ResourceQuota in version "v1" cannot be handled as a ResourceQuota: ${rule}`]);
    expect((await c.resource('v1', 'resourcequotas').get('default', 'q')).metadata.resourceVersion).toBe(q.metadata.resourceVersion);
  });
});
