import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../pkg/api/patch/index.ts';
import { patchMetaFor } from '../../../pkg/api/schema/index.ts';
import { StatusError } from '../../../pkg/api/status.ts';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { storedDeployment, storedNode } from './objects.ts';

const deploymentMeta = patchMetaFor({ group: 'apps', version: 'v1', kind: 'Deployment' })!;
const nodeMeta = patchMetaFor({ group: '', version: 'v1', kind: 'Node' })!;
const smp = (obj: KObject, patch: unknown) => applyPatch('strategic', obj, patch, obj.kind === 'Node' ? nodeMeta : deploymentMeta) as any;
const podSpec = (d: any) => d.spec.template.spec;

function statusOf(fn: () => unknown): { code: number; reason?: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('applyPatch strategic: kubectl bodies (kubectl-api.md §10)', () => {
  it('set image merges the container by name and keeps the others', () => {
    const out = smp(storedDeployment(), { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ image: 'nginx:1.27', name: 'a' }] } } } });
    expect(podSpec(out).containers.map((c: any) => [c.name, c.image])).toEqual([['a', 'nginx:1.27'], ['b', 'busybox']]);
    expect(podSpec(out).containers[0].env).toHaveLength(2);
  });

  it('apply removing an env var, a port and a container, and switching strategy to Recreate', () => {
    const patch = {
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'Y' }],
                '$setElementOrder/ports': [{ containerPort: 80 }],
                args: ['--b'],
                env: [{ $patch: 'delete', name: 'X' }],
                name: 'a',
                ports: [{ $patch: 'delete', containerPort: 443 }],
              },
              { $patch: 'delete', name: 'b' },
            ],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, emptyDir: null, name: 'v1' }],
          },
        },
      },
    };
    const out = smp(storedDeployment(), patch);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(podSpec(out).containers).toEqual([
      { name: 'a', image: 'nginx:1.26', args: ['--b'], env: [{ name: 'Y', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
    ]);
    expect(podSpec(out).volumes).toEqual([{ name: 'v1', configMap: { name: 'cm' } }]);
    expect(JSON.stringify(out)).not.toContain('$');
  });

  it('label removal with null and label add', () => {
    const out = smp(storedDeployment(), { metadata: { labels: { tier: null, env: 'prod' } } });
    expect(out.metadata.labels).toEqual({ app: 'web', env: 'prod' });
  });

  it('cordon and uncordon', () => {
    const cordoned = smp(storedNode(), { spec: { unschedulable: true } });
    expect(cordoned.spec.unschedulable).toBe(true);
    const uncordoned = smp(cordoned, { spec: { unschedulable: null } });
    expect('unschedulable' in uncordoned.spec).toBe(false);
  });

  it('taint replaces the whole taints list (no merge strategy)', () => {
    const out = smp(storedNode(), { spec: { taints: [{ effect: 'NoSchedule', key: 'k', value: 'v' }] } });
    expect(out.spec.taints).toEqual([{ effect: 'NoSchedule', key: 'k', value: 'v' }]);
  });

  it('rollout restart adds a template annotation', () => {
    const out = smp(storedDeployment(), { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T08:38:12Z' } } } } });
    expect(out.spec.template.metadata).toEqual({ labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T08:38:12Z' } });
  });
});

describe('applyPatch strategic: list semantics', () => {
  it('lists without a strategy are replaced wholesale', () => {
    const out = smp(storedDeployment(), { spec: { template: { spec: { tolerations: [{ key: 'k2', operator: 'Exists' }], containers: [{ name: 'a', args: ['--x'] }] } } } });
    expect(podSpec(out).tolerations).toEqual([{ key: 'k2', operator: 'Exists' }]);
    expect(podSpec(out).containers[0].args).toEqual(['--x']);
  });

  it('new keyed items go before the unanchored live items, as upstream orders them', () => {
    const out = smp(storedDeployment(), { spec: { template: { spec: { containers: [{ name: 'c', image: 'redis' }] } } } });
    expect(podSpec(out).containers.map((c: any) => c.name)).toEqual(['c', 'a', 'b']);
  });

  it('primitive lists with merge strategy are unions (finalizers, podCIDRs)', () => {
    expect(smp(storedDeployment(), { metadata: { finalizers: ['a/b', 'c/d'] } }).metadata.finalizers).toEqual(['a/b', 'c/d']);
    expect(smp(storedNode(), { spec: { podCIDRs: ['fd00::/64'] } }).spec.podCIDRs).toEqual(['fd00::/64', '10.42.0.0/24']);
  });

  it('$deleteFromPrimitiveList removes values from a merged primitive list', () => {
    const out = smp(storedDeployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a/b'] } });
    expect(out.metadata.finalizers).toEqual([]);
  });

  it('$setElementOrder orders a primitive list', () => {
    const d = storedDeployment() as any;
    d.metadata.finalizers = ['x', 'y', 'z'];
    expect(smp(d, { metadata: { '$setElementOrder/finalizers': ['z', 'x', 'y'] } }).metadata.finalizers).toEqual(['z', 'x', 'y']);
  });

  it('$patch: replace on a list element replaces the list', () => {
    const out = smp(storedDeployment(), { spec: { template: { spec: { containers: [{ name: 'n', image: 'x' }, { $patch: 'replace' }] } } } });
    expect(podSpec(out).containers).toEqual([{ name: 'n', image: 'x' }]);
  });

  it('orders like upstream when an apply deletes one container and adds another', () => {
    const d = storedDeployment() as any;
    podSpec(d).containers = [{ name: 'a' }, { name: 'b', image: 'b' }, { name: 'd', image: 'd' }];
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'c' }], containers: [{ name: 'c' }, { name: 'a', $patch: 'delete' }] } } } };
    expect(podSpec(smp(d, patch)).containers).toEqual([{ name: 'b', image: 'b' }, { name: 'd', image: 'd' }, { name: 'c' }]);
  });

  it('merges keyed lists nested in keyed lists (env of a container)', () => {
    const out = smp(storedDeployment(), { spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'Z', value: '3' }, { name: 'X', value: 'one' }] }] } } } });
    expect(podSpec(out).containers[0].env).toEqual([{ name: 'Z', value: '3' }, { name: 'X', value: 'one' }, { name: 'Y', value: '2' }]);
  });
});

describe('applyPatch strategic: map directives', () => {
  it('$patch: replace replaces a map, $patch: delete empties it, $patch: merge is the default', () => {
    expect(smp(storedDeployment(), { metadata: { labels: { $patch: 'replace', only: 'me' } } }).metadata.labels).toEqual({ only: 'me' });
    expect(smp(storedDeployment(), { metadata: { labels: { $patch: 'delete' } } }).metadata.labels).toEqual({});
    expect(smp(storedDeployment(), { metadata: { labels: { $patch: 'merge', x: 'y' } } }).metadata.labels).toEqual({ app: 'web', tier: 'fe', x: 'y' });
  });

  it('$retainKeys clears keys not listed', () => {
    const out = smp(storedDeployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('nulls inside new values are dropped, nulls for absent keys are ignored', () => {
    const out = smp(storedDeployment(), { metadata: { annotations: { a: '1', b: null } }, spec: { paused: null } });
    expect(out.metadata.annotations).toEqual({ a: '1' });
    expect('paused' in out.spec).toBe(false);
  });

  it('a null patch changes nothing', () => {
    expect(smp(storedDeployment(), null)).toEqual(storedDeployment());
  });
});

describe('applyPatch strategic: purity and errors', () => {
  it('never mutates the original or the patch', () => {
    const original = storedDeployment();
    const patch = { spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', $patch: 'delete' }] } } } };
    const before = [structuredClone(original), structuredClone(patch)];
    smp(original, patch);
    expect([original, patch]).toEqual(before);
  });

  it('keeps "__proto__" an ordinary key', () => {
    const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":true}}}}');
    const out = smp(storedDeployment(), patch);
    expect(Object.hasOwn(out.metadata.labels, '__proto__')).toBe(true);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('415 without patch metadata, as upstream answers for custom resources', () => {
    expect(statusOf(() => applyPatch('strategic', storedDeployment(), {}))).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
  });

  it('400 for a patch that is not an object', () => {
    expect(statusOf(() => smp(storedDeployment(), [1]))).toMatchObject({ code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' });
    expect(statusOf(() => smp(storedDeployment(), 'x')).code).toBe(400);
  });

  it('400 for malformed directives', () => {
    expect(statusOf(() => smp(storedDeployment(), { metadata: { labels: { $patch: 'explode' } } })).message).toMatch(/unknown patch type: explode/);
    expect(statusOf(() => smp(storedDeployment(), { spec: { strategy: { $retainKeys: 'type' } } })).message).toBe('invalid patch format of retainKeys');
    expect(statusOf(() => smp(storedDeployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } })).message).toBe('invalid patch format of retainKeys');
    expect(statusOf(() => smp(storedDeployment(), { spec: { template: { spec: { containers: [{ image: 'no-name' }] } } } })).message).toMatch(/does not contain declared merge key: name/);
    expect(statusOf(() => smp(storedDeployment(), { spec: { template: { spec: { '$setElementOrder/containers': 'a' } } } })).code).toBe(400);
    expect(statusOf(() => smp(storedDeployment(), { metadata: { $deleteFromPrimitiveList: ['a/b'] } })).message).toBe('invalid patch format of primitive list');
  });

  it('400 when $setElementOrder contradicts the patch list', () => {
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }], containers: [{ name: 'a', image: 'x' }] } } } };
    expect(statusOf(() => smp(storedDeployment(), patch)).message).toMatch(/doesn't match \$setElementOrder list/);
  });

  it('422 Invalid for lists of lists', () => {
    const s = statusOf(() => smp(storedDeployment(), { metadata: { finalizers: [['x']] } }));
    expect(s).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(s.message).toBe('Deployment.apps "web" is invalid: patch: lists of lists are not supported');
  });
});
