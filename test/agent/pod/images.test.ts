import { describe, expect, it } from 'vitest';
import { defaultPullPolicy, ensureImage, type PodEvent } from '../../../pkg/agent/pod/images.ts';
import { DockerRuntime } from '../../../pkg/agent/runtime/index.ts';

// No registry is reachable here: pulls fail for real, which is what the failure paths need.
const rt = new DockerRuntime();
const local = 'skiff-test/busybox:latest';

async function step(image: string, policy?: string, backingOff = false) {
  const events: PodEvent[] = [];
  const wait = await ensureImage(rt, { name: 'c', image, imagePullPolicy: policy }, backingOff, (e) => events.push(e));
  return { wait, events };
}

describe('image pull policy', () => {
  it('uses a present image under IfNotPresent and Never', async () => {
    for (const policy of ['IfNotPresent', 'Never']) {
      expect(await step(local, policy)).toEqual({ wait: undefined, events: [{ type: 'Normal', reason: 'Pulled', message: `Container image "${local}" already present on machine` }] });
    }
  });

  it('refuses to pull under Never: ErrImageNeverPull', async () => {
    expect(await step('skiff-test/absent:1', 'Never')).toEqual({
      wait: { reason: 'ErrImageNeverPull', message: 'Container image "skiff-test/absent:1" is not present with pull policy of Never' },
      events: [{ type: 'Warning', reason: 'ErrImageNeverPull', message: 'Container image "skiff-test/absent:1" is not present with pull policy of Never' }],
    });
  });

  it('pulls under Always even when present, and reports a failed pull as ErrImagePull', async () => {
    const r = await step('skiff-test/absent:1', 'Always');
    expect(r.wait?.reason).toBe('ErrImagePull');
    expect(r.events.map((e) => e.reason)).toEqual(['Pulling', 'Failed', 'Failed']);
    expect(r.events[1]!.message).toMatch(/^Failed to pull image "skiff-test\/absent:1": /);
    expect(r.events[2]!.message).toBe('Error: ErrImagePull');
  });

  it('does not pull while backing off: ImagePullBackOff', async () => {
    expect(await step('skiff-test/absent:1', 'IfNotPresent', true)).toEqual({
      wait: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "skiff-test/absent:1"' },
      events: [{ type: 'Normal', reason: 'BackOff', message: 'Back-off pulling image "skiff-test/absent:1"' }],
    });
  });

  it('defaults the policy as upstream', () => {
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:latest')).toBe('Always');
    expect(defaultPullPolicy('nginx:1.27')).toBe('IfNotPresent');
    expect(defaultPullPolicy('localhost:5000/app')).toBe('Always');
    expect(defaultPullPolicy('localhost:5000/app:v2')).toBe('IfNotPresent');
    expect(defaultPullPolicy('nginx@sha256:abc')).toBe('IfNotPresent');
  });
});
