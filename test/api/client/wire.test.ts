import { describe, expect, it } from 'vitest';
import { responseError } from '../../../pkg/api/client/errors.ts';
import { JsonLines } from '../../../pkg/api/client/json-lines.ts';
import { deleteBody, listQuery, patchContentTypes, resourcePath, watchQuery, writeQuery } from '../../../pkg/api/client/paths.ts';
import { keyOf, splitKey } from '../../../pkg/api/client/index.ts';

describe('resourcePath', () => {
  it('builds core, group, namespaced, cluster and subresource paths', () => {
    expect(resourcePath('v1', 'pods', true, 'default', 'p1')).toBe('/api/v1/namespaces/default/pods/p1');
    expect(resourcePath('v1', 'pods', true, undefined)).toBe('/api/v1/pods');
    expect(resourcePath('v1', 'nodes', false, 'ignored', 'n1', 'status')).toBe('/api/v1/nodes/n1/status');
    expect(resourcePath('apps/v1', 'deployments', true, 'd', 'web', 'scale')).toBe('/apis/apps/v1/namespaces/d/deployments/web/scale');
    expect(resourcePath('v1', 'namespaces', false, undefined, 'kube-system')).toBe('/api/v1/namespaces/kube-system');
  });
});

describe('query parameters', () => {
  it('are sorted and escaped the way kubectl sends them', () => {
    expect(watchQuery({ fieldSelector: 'metadata.name=p1', resourceVersion: '0' })).toBe('?fieldSelector=metadata.name%3Dp1&resourceVersion=0&watch=true');
    expect(watchQuery({ allowWatchBookmarks: true, fieldSelector: 'metadata.name=web', resourceVersion: '812', timeoutSeconds: 421 })).toBe(
      '?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dweb&resourceVersion=812&timeoutSeconds=421&watch=true',
    );
    expect(listQuery({ labelSelector: 'app in (a,b),!x', limit: 500, continue: 'abc=' })).toBe('?continue=abc%3D&labelSelector=app+in+%28a%2Cb%29%2C%21x&limit=500');
    expect(listQuery({})).toBe('');
    expect(writeQuery({ dryRun: true, fieldManager: 'kubectl', fieldValidation: 'Strict', force: false })).toBe('?dryRun=All&fieldManager=kubectl&fieldValidation=Strict&force=false');
  });

  it('sends DeleteOptions as a body only when set, and patches with their media types', () => {
    expect(deleteBody({})).toBeUndefined();
    expect(deleteBody({ propagationPolicy: 'Background', gracePeriodSeconds: undefined })).toEqual({ propagationPolicy: 'Background' });
    expect(patchContentTypes).toEqual({
      json: 'application/json-patch+json',
      merge: 'application/merge-patch+json',
      strategic: 'application/strategic-merge-patch+json',
      apply: 'application/apply-patch+yaml',
    });
  });
});

describe('JsonLines', () => {
  it('decodes values split anywhere across chunks, multi-byte characters included', () => {
    const text = '{"type":"ADDED","object":{"n":"é€😀"}}\n\n{"type":"DELETED","object":{}}\n{"type":"BOOKMARK"}';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length; cut += 3) {
      const lines = new JsonLines();
      const out = [...lines.push(bytes.subarray(0, cut)), ...lines.push(bytes.subarray(cut)), ...lines.end()];
      expect(out).toEqual([{ type: 'ADDED', object: { n: 'é€😀' } }, { type: 'DELETED', object: {} }, { type: 'BOOKMARK' }]);
    }
  });
});

describe('responseError', () => {
  it('keeps a Status body exactly and makes one up from the code otherwise', () => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'm', reason: 'Conflict', details: { name: 'x' }, code: 409 };
    expect(responseError(409, status, JSON.stringify(status)).status).toBe(status);
    expect(responseError(503, undefined, 'not ready').status).toMatchObject({ code: 503, reason: 'ServiceUnavailable', message: expect.stringContaining('not ready') });
    expect(responseError(502, undefined, '<html>bad gateway</html>').status).toMatchObject({ code: 502, reason: 'InternalError' });
    expect(responseError(404, { kind: 'NotAStatus' }, '{}').status).toMatchObject({ code: 404, reason: 'NotFound' });
  });
});

describe('keyOf', () => {
  it('is namespace/name, or name for cluster-scoped objects, and splitKey inverts it', () => {
    expect(keyOf({ metadata: { namespace: 'ns', name: 'a' } })).toBe('ns/a');
    expect(keyOf({ metadata: { name: 'node1' } })).toBe('node1');
    expect(splitKey('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(splitKey('node1')).toEqual({ name: 'node1' });
  });
});
