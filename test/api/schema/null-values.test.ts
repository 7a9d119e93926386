import { describe, expect, it } from 'vitest';
import { zeroNulls } from '../../../pkg/api/schema/index.ts';

const POD = { group: '', version: 'v1', kind: 'Pod' };

describe('zeroNulls', () => {
  it('turns null list items and map values into the zero values Go decodes them to', () => {
    const pod = {
      metadata: { name: 'p', labels: { a: null }, creationTimestamp: null },
      spec: {
        containers: [null, { name: 'c', image: 'i', ports: [null], args: [null, 'x'], resources: { requests: { cpu: null, memory: '1Mi' } } }],
        nodeSelector: { zone: null },
        tolerations: null,
      },
    };
    zeroNulls(POD, pod);
    expect(pod).toEqual({
      metadata: { name: 'p', labels: { a: '' }, creationTimestamp: null },
      spec: {
        containers: [{}, { name: 'c', image: 'i', ports: [{}], args: ['', 'x'], resources: { requests: { cpu: '0', memory: '1Mi' } } }],
        nodeSelector: { zone: '' },
        tolerations: null,
      },
    });
  });

  it('leaves values of the wrong JSON type, raw JSON and kinds without a schema alone', () => {
    const pod = { spec: { containers: 'x', overhead: [null] } };
    zeroNulls(POD, pod);
    expect(pod).toEqual({ spec: { containers: 'x', overhead: [null] } });
    const cr = { spec: { list: [null] } };
    zeroNulls({ group: 'example.com', version: 'v1', kind: 'Widget' }, cr);
    expect(cr).toEqual({ spec: { list: [null] } });
    const rev = { apiVersion: 'apps/v1', kind: 'ControllerRevision', data: { a: [null] }, revision: 1 };
    zeroNulls({ group: 'apps', version: 'v1', kind: 'ControllerRevision' }, rev);
    expect(rev.data).toEqual({ a: [null] });
  });
});
