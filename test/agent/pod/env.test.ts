import { describe, expect, it } from 'vitest';
import { ContainerConfigError, expand, resolveEnv, type EnvSources } from '../../../pkg/agent/pod/env.ts';
import type { core } from '../../../pkg/api/types/index.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const src: EnvSources = {
  configMap: (ns, name) => (ns === 'app' && name === 'cfg' ? { data: { mode: 'fast', level: '3' } } : undefined),
  secret: (ns, name) => (ns === 'app' && name === 'creds' ? { data: { password: b64('s3cret'), user: b64('ann') } } : undefined),
  nodeName: 'n1',
  hostIP: '192.168.1.5',
  podIP: '10.42.0.9',
  allocatable: { cpu: 2, memory: 4 * 2 ** 30 },
};

const pod = (container: core.Container): core.Pod => ({
  metadata: { name: 'web-1', namespace: 'app', uid: 'u-1', labels: { app: 'web' }, annotations: { team: 'blue' } },
  spec: { containers: [container], serviceAccountName: 'robot' },
});

const env = (c: Omit<core.Container, 'name'>) => {
  const container = { name: 'main', ...c };
  return resolveEnv(pod(container), container, src);
};

describe('container environment', () => {
  it('layers envFrom (with prefixes) under env, later entries winning', () => {
    expect(env({
      envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'creds' }, prefix: 'DB_' }],
      env: [{ name: 'mode', value: 'slow' }, { name: 'URL', value: 'db://$(DB_user):$(DB_password)@x/$(mode)' }],
    })).toEqual({ mode: 'slow', level: '3', DB_password: 's3cret', DB_user: 'ann', URL: 'db://ann:s3cret@x/slow' });
  });

  it('reads keys of config maps and secrets', () => {
    expect(env({ env: [
      { name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
      { name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
      { name: 'C', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x', optional: true } } },
      { name: 'D', valueFrom: { secretKeyRef: { name: 'creds', key: 'nope', optional: true } } },
    ] })).toEqual({ A: 'fast', B: 's3cret' });
  });

  it('fails with upstream messages when a required source is missing', () => {
    const err = (c: Omit<core.Container, 'name'>) => {
      try {
        env(c);
      } catch (e) {
        expect(e).toBeInstanceOf(ContainerConfigError);
        return (e as Error).message;
      }
      throw new Error('resolved');
    };
    expect(err({ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x' } } }] })).toBe('configmap "nope" not found');
    expect(err({ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'x' } } }] })).toBe("couldn't find key x in ConfigMap app/cfg");
    expect(err({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'gone', key: 'x' } } }] })).toBe('secret "gone" not found');
    expect(err({ envFrom: [{ secretRef: { name: 'gone' } }] })).toBe('secret "gone" not found');
    expect(env({ envFrom: [{ secretRef: { name: 'gone', optional: true } }] })).toEqual({});
  });

  it('exposes pod fields (the downward API)', () => {
    const f = (fieldPath: string) => ({ name: fieldPath, valueFrom: { fieldRef: { fieldPath } } });
    expect(env({ env: ['metadata.name', 'metadata.namespace', 'metadata.uid', "metadata.labels['app']", "metadata.annotations['team']", 'spec.nodeName', 'spec.serviceAccountName', 'status.podIP', 'status.hostIP'].map(f) })).toEqual({
      'metadata.name': 'web-1', 'metadata.namespace': 'app', 'metadata.uid': 'u-1', "metadata.labels['app']": 'web', "metadata.annotations['team']": 'blue',
      'spec.nodeName': 'n1', 'spec.serviceAccountName': 'robot', 'status.podIP': '10.42.0.9', 'status.hostIP': '192.168.1.5',
    });
  });

  it('exposes resources in units of the divisor, rounded up; an unset limit is the node allocatable', () => {
    const r = (resource: string, divisor?: string) => ({ name: `${resource}/${divisor ?? '1'}`, valueFrom: { resourceFieldRef: { resource, divisor } } });
    expect(env({
      resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      env: [r('requests.cpu'), r('requests.cpu', '1m'), r('requests.memory', '1Mi'), r('limits.memory'), r('limits.cpu'), r('limits.memory', '1Gi')],
    })).toEqual({ 'requests.cpu/1': '1', 'requests.cpu/1m': '250', 'requests.memory/1Mi': '64', 'limits.memory/1': String(128 * 2 ** 20), 'limits.cpu/1': '2', 'limits.memory/1Gi': '1' });
  });

  it('expands $(VAR) only for known variables, and $$ to $', () => {
    expect(expand('$(A)-$(B)-$$(A)-$A', { A: 'x' })).toBe('x-$(B)-$(A)-$A');
  });
});
