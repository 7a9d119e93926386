import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, ProtobufError, UnsupportedProtobufError } from '../../../pkg/api/protobuf/index.ts';
import { envelope, f } from './writer.ts';

// ObjectMeta as Go's marshaller writes it: every non-pointer field, empty ones included.
const objectMeta = (name: string, extra: number[][] = []) =>
  f.msg(1, f.bytes(1, name), f.bytes(2, ''), f.bytes(3, ''), f.bytes(4, ''), f.bytes(5, ''), f.bytes(6, ''), f.varint(7, 0), f.msg(8), ...extra);

describe('decodeKubernetesProtobuf', () => {
  it('decodes a ConfigMap as kubectl create configmap sends it', () => {
    const raw = [...objectMeta('cm1'), ...f.entry(2, 'a', '1'), ...f.entry(2, 'b', 'two'), ...f.entry(3, 'bin', [0, 1, 2, 255])];
    expect(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', raw))).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'cm1', creationTimestamp: null },
      data: { a: '1', b: 'two' },
      binaryData: { bin: 'AAEC/w==' },
    });
  });

  it('keeps pointer fields at zero, drops omitempty zero scalars and writes value structs', () => {
    const container = f.msg(2, f.bytes(1, 'web'), f.bytes(2, 'nginx'), f.msg(6, f.bytes(1, ''), f.varint(2, 0), f.varint(3, 80), f.bytes(4, 'TCP'), f.bytes(5, '')),
      f.msg(8), f.bytes(13, ''), f.bytes(14, ''), f.varint(16, false));
    const spec = f.msg(2,
      f.varint(1, 0),
      f.msg(2, f.entry(1, 'app', 'web')),
      f.msg(3, f.msg(1, f.bytes(1, ''), f.entry(11, 'app', 'web')), f.msg(2, container, f.bytes(3, ''))),
      f.msg(4),
      f.varint(5, 0), f.varint(7, false));
    const out = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', [...objectMeta('web'), ...spec, ...f.msg(3)]));
    expect(out).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: null },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it('decodes IntOrString ports, Secret bytes and a non-omitempty zero', () => {
    const port = f.msg(1, f.bytes(1, 'http'), f.bytes(2, 'TCP'), f.varint(3, 80), f.msg(4, f.varint(1, 1), f.varint(2, 0), f.bytes(3, 'web')), f.varint(5, 0));
    const svc = decodeKubernetesProtobuf(envelope('v1', 'Service', [...objectMeta('s'), ...f.msg(2, port, f.bytes(4, 'ClusterIP'))]));
    expect((svc.spec as any).ports).toEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' }]);
    expect((svc.spec as any).type).toBe('ClusterIP');
    const secret = decodeKubernetesProtobuf(envelope('v1', 'Secret', [...objectMeta('s'), ...f.entry(2, 'k', 'hi'), ...f.bytes(3, 'Opaque')]));
    expect(secret).toMatchObject({ data: { k: 'aGk=' }, type: 'Opaque' });
    // RoleRef.apiGroup has no omitempty: Go writes "" and so do we.
    const rb = decodeKubernetesProtobuf(envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', [...objectMeta('rb'), ...f.msg(3, f.bytes(2, 'Role'), f.bytes(3, 'r'))]));
    expect(rb.roleRef).toEqual({ apiGroup: '', kind: 'Role', name: 'r' });
  });

  it('decodes DeleteOptions under any group version, Eviction, and a SelfSubjectAccessReview', () => {
    const opts = decodeKubernetesProtobuf(envelope('apps/v1', 'DeleteOptions', [...f.varint(1, 0), ...f.bytes(4, 'Foreground'), ...f.bytes(5, 'All')]));
    expect(opts).toEqual({ apiVersion: 'apps/v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Foreground', dryRun: ['All'] });
    const ev = decodeKubernetesProtobuf(envelope('policy/v1', 'Eviction', [...objectMeta('p', [f.bytes(3, 'default')]), ...f.msg(2, f.varint(1, 30))]));
    expect(ev).toEqual({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'default', creationTimestamp: null }, deleteOptions: { gracePeriodSeconds: 30 } });
    const ssar = decodeKubernetesProtobuf(envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview',
      [...objectMeta(''), ...f.msg(2, f.msg(1, f.bytes(1, 'default'), f.bytes(2, 'create'), f.bytes(3, ''), f.bytes(4, ''), f.bytes(5, 'pods'))), ...f.msg(3, f.varint(1, false))]));
    expect(ssar.spec).toEqual({ resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } });
    expect(ssar.status).toEqual({ allowed: false });
  });

  it('takes both HPA versions, keeping their different shapes', () => {
    const v1 = decodeKubernetesProtobuf(envelope('autoscaling/v1', 'HorizontalPodAutoscaler',
      [...objectMeta('h'), ...f.msg(2, f.msg(1, f.bytes(1, 'Deployment'), f.bytes(2, 'web'), f.bytes(3, 'apps/v1')), f.varint(2, 1), f.varint(3, 5), f.varint(4, 80))]));
    expect(v1.spec).toEqual({ scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80 });
    const target = f.msg(2, f.bytes(1, 'Utilization'), f.varint(4, 50));
    const v2 = decodeKubernetesProtobuf(envelope('autoscaling/v2', 'HorizontalPodAutoscaler',
      [...objectMeta('h'), ...f.msg(2, f.msg(1, f.bytes(1, 'Deployment'), f.bytes(2, 'web')), f.varint(3, 5), f.msg(4, f.bytes(1, 'Resource'), f.msg(4, f.bytes(1, 'cpu'), target)))]));
    expect((v2.spec as any).metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  });

  it('skips unknown fields, merges repeated occurrences of a message and takes packed scalars', () => {
    const raw = [...objectMeta('x'), ...f.varint(99, 7), ...f.bytes(98, 'later field'), ...f.fixed64(97, 1), ...f.fixed32(96, 1),
      ...f.msg(1, f.entry(11, 'merged', 'yes')), ...f.entry(2, 'k', 'v')];
    expect(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', raw))).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', creationTimestamp: null, labels: { merged: 'yes' } }, data: { k: 'v' },
    });
    // PodSpec.containers[].ports are messages; a Job's podFailurePolicy exit codes are a packed int32 list.
    const rule = f.msg(1, f.bytes(1, 'FailJob'), f.msg(2, f.bytes(2, 'In'), f.bytes(3, [1, 2, 42])));
    const job = decodeKubernetesProtobuf(envelope('batch/v1', 'Job', [...objectMeta('j'), ...f.msg(2, f.msg(11, rule))]));
    expect((job.spec as any).podFailurePolicy.rules[0].onExitCodes).toEqual({ operator: 'In', values: [1, 2, 42] });
  });

  it('refuses a body without the magic, a truncated one, a bad varint and a wrong wire type, with ProtobufError', () => {
    expect(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"ConfigMap"}'))).toThrow(/expected prefix \[107 56 115 0\]/);
    const good = envelope('v1', 'ConfigMap', [...objectMeta('cm'), ...f.entry(2, 'a', 'b')]);
    for (let n = 5; n < good.length; n++) {
      // Every strict prefix is either malformed or, cut at a field boundary, a smaller valid object.
      try { decodeKubernetesProtobuf(good.subarray(0, n)); } catch (err) { expect(err).toBeInstanceOf(ProtobufError); }
    }
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', [0x0a, 0x80]))).toThrow(ProtobufError);
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', [...f.varint(1, 5)]))).toThrow(/ConfigMap.metadata has wire type 0/);
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', [...f.bytes(4, [1])]))).toThrow(/ConfigMap.immutable has wire type 2/);
    expect(() => decodeKubernetesProtobuf(Buffer.from([0x6b, 0x38, 0x73, 0x00, ...f.bytes(2, [])]))).toThrow(/'Kind' is missing/);
  });

  it('answers kinds and encodings it does not decode with UnsupportedProtobufError', () => {
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'Node', []))).toThrow(UnsupportedProtobufError);
    expect(() => decodeKubernetesProtobuf(envelope('apps/v2', 'Deployment', []))).toThrow(/apps\/v2, Kind=Deployment; send it as application\/json/);
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', [], [f.bytes(3, 'gzip')]))).toThrow(/content encoding "gzip"/);
  });

  it('bounds nesting and object count', () => {
    // Each empty container materialises its value structs (resources…): far past the message budget.
    const many = Array.from({ length: 210_000 }, () => f.msg(2)).flat();
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'Pod', f.msg(2, many)))).toThrow(/more than 200000 messages/);
  });
});
