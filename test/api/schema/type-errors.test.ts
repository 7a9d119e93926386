import { describe, expect, it } from 'vitest';
import { findTypeErrorOf } from '../../../pkg/api/schema/index.ts';

const pod = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', ...container }], ...extra } });
const podErr = (obj: unknown) => findTypeErrorOf({ group: '', version: 'v1', kind: 'Pod' }, obj);
const deployErr = (obj: unknown) => findTypeErrorOf({ group: 'apps', version: 'v1', kind: 'Deployment' }, obj);

describe('findTypeErrorOf', () => {
  it('names the Go struct, the JSON path and the Go type, as encoding/json does', () => {
    expect(podErr(pod({ ports: {} }))).toBe('json: cannot unmarshal object into Go struct field Container.spec.containers.ports of type []v1.ContainerPort');
    expect(podErr(pod({ ports: [{ containerPort: '80' }] }))).toBe('json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
    expect(podErr(pod({ name: 5 }))).toBe('json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string');
    expect(podErr(pod({ stdin: 'yes' }))).toBe('json: cannot unmarshal string into Go struct field Container.spec.containers.stdin of type bool');
    expect(podErr({ ...pod({}), spec: 'x' })).toBe('json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec');
    expect(podErr(pod({}, { nodeSelector: { a: 1 } }))).toBe('json: cannot unmarshal number into Go struct field PodSpec.spec.nodeSelector.a of type string');
    expect(podErr({ ...pod({}), metadata: { name: 'p', labels: [] } })).toBe('json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string');
  });

  it('refuses integers that are fractional or out of range, with their value', () => {
    expect(deployErr({ spec: { replicas: 1.5 } })).toBe('json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect(deployErr({ spec: { replicas: 2 ** 31 } })).toBe('json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect(deployErr({ spec: { replicas: 2 ** 31 - 1 } })).toBeUndefined();
  });

  it('takes null anywhere, both forms of quantities and int-or-strings, and leaves raw JSON alone', () => {
    expect(podErr(pod({ ports: null, resources: { limits: { cpu: 1, memory: '1Gi' } } }, { nodeSelector: null }))).toBeUndefined();
    expect(podErr(pod({ resources: { limits: { cpu: {} } } }))).toMatch(/^quantities must match/);
    expect(podErr(pod({ livenessProbe: { httpGet: { port: 'http' } } }))).toBeUndefined();
    expect(podErr(pod({ livenessProbe: { httpGet: { port: 8080.5 } } }))).toBe('json: cannot unmarshal number 8080.5 into Go value of type int32');
    expect(podErr({ ...pod({}), metadata: { name: 'p', creationTimestamp: 5 } })).toBe('json: cannot unmarshal number into Go value of type string');
    expect(podErr({ ...pod({}), metadata: { name: 'p', managedFields: [{ fieldsV1: { 'f:x': 1 } }] } })).toBeUndefined();
  });

  it('leaves unknown fields to fieldValidation and kinds without a schema alone', () => {
    expect(podErr(pod({ bogus: {} }))).toBeUndefined();
    expect(findTypeErrorOf({ group: 'example.com', version: 'v1', kind: 'Widget' }, { spec: 5 })).toBeUndefined();
  });
});
