import { describe, expect, it } from 'vitest';
import type { core, KObject } from '../../../pkg/api/types/index.ts';
import { ServiceAccountTokens } from '../../../pkg/agent/pod/service-account-tokens.ts';

const pod = (sources: core.VolumeProjection[]): core.Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
  spec: { serviceAccountName: 'robot', containers: [{ name: 'c' }], volumes: [{ name: 'kube-api-access-abcde', projected: { sources } }] },
});

function fixture() {
  let now = 1_000_000;
  const requests: { ns: string; sa: string; body: KObject }[] = [];
  const wakes: number[] = [];
  const tokens = new ServiceAccountTokens(async (ns, sa, body) => {
    requests.push({ ns, sa, body });
    const seconds = (body.spec as { expirationSeconds: number }).expirationSeconds;
    return { metadata: {}, status: { token: `t${requests.length}`, expirationTimestamp: new Date(now + seconds * 1000).toISOString() } };
  }, (_uid, ms) => wakes.push(ms), () => now);
  return { tokens, requests, wakes, advance: (ms: number) => (now += ms) };
}

describe('ServiceAccountTokens', () => {
  it('requests a token bound to the pod and serves it until 80% of its life has passed', async () => {
    const f = fixture();
    const p = pod([{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { serviceAccountToken: { path: 'vault', audience: 'vault', expirationSeconds: 600 } }]);
    await f.tokens.prepare(p);
    expect(f.requests.map((r) => [r.ns, r.sa, r.body.spec])).toEqual([
      ['ns', 'robot', { expirationSeconds: 3600, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1' } }],
      ['ns', 'robot', { audiences: ['vault'], expirationSeconds: 600, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1' } }],
    ]);
    expect(f.tokens.token(p, undefined, 3600)).toBe('t1');
    expect(f.tokens.token(p, 'vault', 600)).toBe('t2');
    expect(f.wakes).toEqual([480_000]);

    f.advance(479_000);
    await f.tokens.prepare(p);
    expect(f.requests).toHaveLength(2);
    f.advance(1_000);
    await f.tokens.prepare(p);
    expect(f.requests).toHaveLength(3);
    expect(f.tokens.token(p, 'vault', 600)).toBe('t3');
    expect(f.tokens.token(p, undefined, 3600)).toBe('t1');
    f.tokens.forget('u1');
    expect(f.tokens.token(p, undefined, 3600)).toBeUndefined();
  });

  it('does nothing for pods without token projections and passes API errors on', async () => {
    const f = fixture();
    await f.tokens.prepare(pod([{ configMap: { name: 'kube-root-ca.crt' } }]));
    expect([f.requests, f.wakes]).toEqual([[], []]);
    const failing = new ServiceAccountTokens(async () => {
      throw new Error('serviceaccounts "robot" not found');
    }, () => undefined);
    await expect(failing.prepare(pod([{ serviceAccountToken: { path: 'token' } }]))).rejects.toThrow('serviceaccounts "robot" not found');
  });
});
