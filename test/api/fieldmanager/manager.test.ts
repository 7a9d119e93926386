import { describe, expect, it } from 'vitest';
import { managerFromRequest } from '../../../pkg/api/fieldmanager/index.ts';
import { StatusError } from '../../../pkg/api/status.ts';

describe('managerFromRequest', () => {
  it('prefers the fieldManager parameter', () => {
    expect(managerFromRequest('kubectl-client-side-apply', 'kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9')).toBe('kubectl-client-side-apply');
  });

  it("falls back to the User-Agent's product name", () => {
    expect(managerFromRequest(undefined, 'kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9')).toBe('kubectl');
    expect(managerFromRequest('', 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/70d3cc9/system:serviceaccount:kube-system:deployment-controller')).toBe('kube-controller-manager');
    expect(managerFromRequest(undefined, 'Go-http-client/2.0')).toBe('Go-http-client');
    expect(managerFromRequest(undefined, undefined)).toBe('');
  });

  it('drops unprintable characters from the User-Agent and cuts it to 128 bytes', () => {
    expect(managerFromRequest(undefined, 'my\u0007tool/1.0')).toBe('mytool');
    expect(managerFromRequest(undefined, 'é'.repeat(100))).toBe('é'.repeat(64));
  });

  it('answers 422 for a fieldManager over 128 bytes, naming the options kind', () => {
    let err: unknown;
    try {
      managerFromRequest('m'.repeat(129), undefined, 'PatchOptions');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    const status = (err as StatusError).status;
    expect(status.code).toBe(422);
    expect(status.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: must have at most 128 bytes');
    expect(status.details?.causes).toEqual([{ reason: 'FieldValueTooLong', message: 'Too long: must have at most 128 bytes', field: 'fieldManager' }]);
    expect(managerFromRequest('m'.repeat(128), undefined)).toHaveLength(128);
  });

  it('answers 422 for unprintable characters in fieldManager', () => {
    expect(() => managerFromRequest('bad\tname', undefined, 'CreateOptions')).toThrow('CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "bad\\tname": invalid character U+0009 (at position 3)');
  });
});
