import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureHairpin } from '../../../pkg/agent/proxy/index.ts';

// A copy of sysfs's layout in a temporary folder: /sys/class/net/<bridge>/brif/<port>/hairpin_mode.
const sys = mkdtempSync(join(tmpdir(), 'skiff-hairpin-'));
afterAll(() => rmSync(sys, { recursive: true, force: true }));

describe('ensureHairpin', () => {
  it('turns hairpin mode on for ports that have it off, and tolerates a missing bridge', () => {
    for (const [port, mode] of [['veth1', '0\n'], ['veth2', '1\n']] as const) {
      mkdirSync(join(sys, 'skiffabc', 'brif', port), { recursive: true });
      writeFileSync(join(sys, 'skiffabc', 'brif', port, 'hairpin_mode'), mode);
    }
    expect(ensureHairpin('skiffabc', sys)).toBe(1);
    expect(readFileSync(join(sys, 'skiffabc', 'brif', 'veth1', 'hairpin_mode'), 'utf8')).toBe('1');
    expect(ensureHairpin('skiffabc', sys)).toBe(0);
    expect(ensureHairpin('skiffnone', sys)).toBe(0);
  });
});
