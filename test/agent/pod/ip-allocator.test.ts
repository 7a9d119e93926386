import { describe, expect, it } from 'vitest';
import { IpAllocator } from '../../../pkg/agent/pod/ip-allocator.ts';

describe('pod IP allocation', () => {
  it('hands out hosts after the gateway, one per owner, round robin', () => {
    const a = new IpAllocator('10.42.3.0/24');
    expect(a.gateway).toBe('10.42.3.1');
    expect(a.allocate('p1')).toBe('10.42.3.2');
    expect(a.allocate('p2')).toBe('10.42.3.3');
    expect(a.allocate('p1')).toBe('10.42.3.2');
    a.release('p1');
    expect(a.allocate('p3')).toBe('10.42.3.4');
    expect(a.inUse).toBe(2);
  });

  it('runs out without handing out the broadcast address, then reuses freed ones', () => {
    const a = new IpAllocator('10.42.0.0/29'); // .2 to .6 are pod addresses
    expect([1, 2, 3, 4, 5].map((i) => a.allocate(`p${i}`))).toEqual(['10.42.0.2', '10.42.0.3', '10.42.0.4', '10.42.0.5', '10.42.0.6']);
    expect(() => a.allocate('p6')).toThrow('no free pod address left in 10.42.0.0/29');
    a.release('p3');
    expect(a.allocate('p6')).toBe('10.42.0.4');
  });

  it('re-marks adopted addresses', () => {
    const a = new IpAllocator('10.42.1.0/24');
    expect(a.claim('10.42.1.2', 'old')).toBe(true);
    expect(a.claim('10.42.1.2', 'other')).toBe(false);
    expect(a.claim('10.42.2.9', 'x')).toBe(false);
    expect(a.claim('10.42.1.255', 'x')).toBe(false);
    expect(a.allocate('new')).toBe('10.42.1.3');
  });

  it('refuses what is not a usable CIDR', () => {
    for (const bad of ['10.42.0.0', '10.42.0.0/8', '10.42.0.0/31', '300.1.1.1/24', 'fd00::/64']) expect(() => new IpAllocator(bad), bad).toThrow(/pod CIDR must be/);
    expect(new IpAllocator('10.42.3.77/24').gateway).toBe('10.42.3.1');
    const high = new IpAllocator('192.168.200.0/24');
    expect(high.allocate('p')).toBe('192.168.200.2');
    expect(high.claim('192.168.200.9', 'q')).toBe(true);
  });
});
