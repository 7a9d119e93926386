import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../../pkg/agent/pod/atomic-writer.ts';

const root = mkdtempSync(join(tmpdir(), 'skiff-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const f = (path: string, text: string, mode = 0o644) => ({ path, data: Buffer.from(text), mode });

describe('atomic volume writer', () => {
  it('lays files out behind ..data, as the kubelet does', () => {
    const dir = join(root, 'a');
    expect(writeAtomically(dir, [f('greeting', 'hello'), f('conf/app.ini', 'x=1', 0o400)], new Date('2026-01-01T10:00:00.5Z'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['..2026_01_01_10_00_00.500', '..data', 'conf', 'greeting']);
    expect(readlinkSync(join(dir, '..data'))).toBe('..2026_01_01_10_00_00.500');
    expect(readlinkSync(join(dir, 'greeting'))).toBe('..data/greeting');
    expect(lstatSync(join(dir, 'conf')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'conf/app.ini'), 'utf8')).toBe('x=1');
    expect(statSync(join(dir, 'conf/app.ini')).mode & 0o777).toBe(0o400);
  });

  it('does nothing when the content is the same', () => {
    const dir = join(root, 'b');
    writeAtomically(dir, [f('k', 'v')], new Date('2026-01-01T10:00:00Z'));
    expect(writeAtomically(dir, [f('k', 'v')], new Date('2026-01-01T11:00:00Z'))).toBe(false);
    expect(readlinkSync(join(dir, '..data'))).toBe('..2026_01_01_10_00_00.000');
  });

  it('switches to new content in one step, dropping removed keys and the old directory', () => {
    const dir = join(root, 'c');
    writeAtomically(dir, [f('a', '1'), f('b', '2')], new Date('2026-01-01T10:00:00Z'));
    expect(writeAtomically(dir, [f('a', '10'), f('c', '3')], new Date('2026-01-01T10:05:00Z'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['..2026_01_01_10_05_00.000', '..data', 'a', 'c']);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('10');
    expect(existsSync(join(dir, 'b'))).toBe(false);
    // A mode change alone is a change.
    expect(writeAtomically(dir, [f('a', '10', 0o600), f('c', '3')], new Date('2026-01-01T10:06:00Z'))).toBe(true);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
  });
});
