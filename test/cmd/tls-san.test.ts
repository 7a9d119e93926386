import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cmd/flags.ts';
import { tlsSanFlag } from '../../cmd/server.ts';

describe('tlsSanFlag', () => {
  it('splits comma-separated names and IPs, dropping empty entries', () => {
    expect(tlsSanFlag({ 'tls-san': ' pi.local, 192.168.1.10,,fd00::1, API.example.com ' })).toEqual(['pi.local', '192.168.1.10', 'fd00::1', 'API.example.com']);
    expect(tlsSanFlag({})).toEqual([]);
  });

  it.each(['pi local', 'a_b.example', '-pi', 'pi.', 'x'.repeat(64), 'https://pi.local'])('refuses %j with a usage error', (v) => {
    expect(() => tlsSanFlag({ 'tls-san': v })).toThrow(UsageError);
    expect(() => tlsSanFlag({ 'tls-san': v })).toThrow(`--tls-san: "${v}" is neither an IP address nor a DNS name`);
  });
});
