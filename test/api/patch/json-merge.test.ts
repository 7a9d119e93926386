import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../pkg/api/patch/index.ts';
import { StatusError } from '../../../pkg/api/status.ts';
import { storedDeployment, storedNode } from './objects.ts';

function statusOf(fn: () => unknown): { code: number; reason?: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('applyPatch json (RFC 6902)', () => {
  const json = (patch: unknown) => applyPatch('json', storedDeployment(), patch) as any;

  it('applies rollout undo: replace /spec/template and /metadata/annotations', () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx:1.25' }] } };
    const out = json([
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/labels', value: { app: 'web' } },
    ]);
    expect(out.spec.template).toEqual(template);
    expect(out.metadata.labels).toEqual({ app: 'web' });
  });

  it('supports add, remove, move, copy and test, with ~ escapes, "-" and negative indices', () => {
    const out = json([
      { op: 'add', path: '/metadata/annotations', value: { 'example.com/a~b': 'x' } },
      { op: 'add', path: '/metadata/annotations/example.com~1c', value: 'y' },
      { op: 'test', path: '/metadata/annotations/example.com~1a~0b', value: 'x' },
      { op: 'add', path: '/metadata/finalizers/-', value: 'z/z' },
      { op: 'add', path: '/metadata/finalizers/0', value: 'first' },
      { op: 'remove', path: '/metadata/finalizers/-1' },
      { op: 'copy', from: '/metadata/name', path: '/metadata/labels/copied' },
      { op: 'move', from: '/metadata/labels/tier', path: '/metadata/labels/layer' },
      { op: 'remove', path: '/status' },
      { op: 'test', path: '/spec/paused', value: null },
    ]);
    expect(out.metadata.annotations).toEqual({ 'example.com/a~b': 'x', 'example.com/c': 'y' });
    expect(out.metadata.finalizers).toEqual(['first', 'a/b']);
    expect(out.metadata.labels).toEqual({ app: 'web', copied: 'web', layer: 'fe' });
    expect(out.status).toBeUndefined();
  });

  it('does not touch its inputs', () => {
    const original = storedDeployment();
    const patch = [{ op: 'replace', path: '/spec/replicas', value: 5 }];
    const out = applyPatch('json', original, patch) as any;
    expect(out.spec.replicas).toBe(5);
    expect(original).toEqual(storedDeployment());
    expect(patch).toEqual([{ op: 'replace', path: '/spec/replicas', value: 5 }]);
  });

  it('400 when the patch is not a list of operations', () => {
    expect(statusOf(() => json({ op: 'add' }))).toMatchObject({ code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' });
    expect(statusOf(() => json(['x'])).code).toBe(400);
  });

  it('422 when an operation does not fit the object, naming the cause', () => {
    const failedTest = statusOf(() => json([{ op: 'test', path: '/spec/replicas', value: 3 }]));
    expect(failedTest).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(failedTest.message).toBe('Deployment.apps "web" is invalid: patch: testing value /spec/replicas failed: test failed');
    expect(statusOf(() => json([{ op: 'replace', path: '/spec/nothing', value: 1 }])).message).toMatch(/replace operation does not apply: doc is missing key: \/spec\/nothing/);
    expect(statusOf(() => json([{ op: 'remove', path: '/spec/a/b' }])).code).toBe(422);
    expect(statusOf(() => json([{ op: 'add', path: '/metadata/finalizers/9', value: 'x' }])).code).toBe(422);
    expect(statusOf(() => json([{ op: 'frobnicate', path: '/spec' }])).message).toMatch(/Unexpected kind: frobnicate/);
    expect(statusOf(() => json([{ op: 'add', path: 'spec', value: 1 }])).code).toBe(422);
    expect(statusOf(() => json([{ op: 'move', from: '/spec', path: '/spec/x' }])).code).toBe(422);
  });

  it('422 when the result is not an object', () => {
    expect(statusOf(() => json([{ op: 'replace', path: '', value: [1] }])).code).toBe(422);
  });
});

describe('applyPatch merge (RFC 7386)', () => {
  it('applies label, annotate and scale bodies; null removes', () => {
    const out = applyPatch('merge', storedDeployment(), { metadata: { labels: { tier: null, env: 'prod' }, annotations: { a: 'b' } }, spec: { replicas: 5 } }) as any;
    expect(out.metadata.labels).toEqual({ app: 'web', env: 'prod' });
    expect(out.metadata.annotations).toEqual({ a: 'b' });
    expect(out.spec.replicas).toBe(5);
  });

  it('cordon and uncordon', () => {
    const cordoned = applyPatch('merge', storedNode(), { spec: { unschedulable: true } }) as any;
    expect(cordoned.spec.unschedulable).toBe(true);
    expect('unschedulable' in (applyPatch('merge', cordoned, { spec: { unschedulable: null } }) as any).spec).toBe(false);
  });

  it('replaces lists and drops nulls inside values it adds', () => {
    const out = applyPatch('merge', storedDeployment(), { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }] } } }, metadata: { annotations: { a: 'b', c: null } } }) as any;
    expect(out.spec.template.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
    expect(out.metadata.annotations).toEqual({ a: 'b' });
  });

  it('does not touch its inputs and keeps "__proto__" an ordinary key', () => {
    const original = storedDeployment();
    const patch = JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}');
    const out = applyPatch('merge', original, patch) as any;
    expect(Object.hasOwn(out.metadata, '__proto__')).toBe(true);
    expect(({} as any).polluted).toBeUndefined();
    expect(original).toEqual(storedDeployment());
  });

  it('400 when the patch is not an object, as upstream strict decoding answers', () => {
    expect(statusOf(() => applyPatch('merge', storedDeployment(), [1]))).toMatchObject({
      code: 400, message: 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}',
    });
    expect(statusOf(() => applyPatch('merge', storedDeployment(), null))).toMatchObject({ code: 400, message: 'Invalid JSON Patch' });
  });
});
