import { describe, expect, it } from 'vitest';
import { UsageError, dnsDomainFlag, formatFlags, parseFlags, type FlagDef } from '../../cmd/flags.ts';

const defs: FlagDef[] = [
  { name: 'data-dir', type: 'string', default: '/var/lib/skiff', help: 'state' },
  { name: 'https-listen-port', type: 'number', default: 6443, help: 'port' },
  { name: 'disable-agent', type: 'boolean', default: false, help: 'no agent' },
  { name: 'log-level', type: 'string', choices: ['debug', 'info'], default: 'info', help: 'level' },
  { name: 'token', type: 'string', noEnv: true, help: 'secret' },
];

describe('parseFlags', () => {
  it('applies defaults', () => {
    const { values } = parseFlags(defs, [], {});
    expect(values).toEqual({ 'data-dir': '/var/lib/skiff', 'https-listen-port': 6443, 'disable-agent': false, 'log-level': 'info', token: undefined });
  });

  it('reads SKIFF_<FLAG> from the environment, and the command line wins', () => {
    const env = { SKIFF_DATA_DIR: '/env', SKIFF_HTTPS_LISTEN_PORT: '7443', SKIFF_DISABLE_AGENT: 'true', SKIFF_TOKEN: 'leak' };
    expect(parseFlags(defs, [], env).values).toMatchObject({ 'data-dir': '/env', 'https-listen-port': 7443, 'disable-agent': true, token: undefined });
    expect(parseFlags(defs, ['--data-dir', '/cli', '--https-listen-port=8443', '--no-disable-agent'], env).values)
      .toMatchObject({ 'data-dir': '/cli', 'https-listen-port': 8443, 'disable-agent': false });
  });

  it('returns positionals', () => {
    expect(parseFlags(defs, ['get', '/a', '--data-dir', 'x']).positionals).toEqual(['get', '/a']);
  });

  it.each([
    [['--nope'], 'unknown flag: --nope'],
    [['--https-listen-port', 'abc'], '--https-listen-port: "abc" is not a number'],
    [['--log-level', 'loud'], '--log-level: "loud" is not one of debug, info'],
  ])('rejects %j with a clear message', (argv, msg) => {
    expect(() => parseFlags(defs, argv, {})).toThrow(new UsageError(msg));
  });

  it('rejects bad values from the environment naming the variable', () => {
    expect(() => parseFlags(defs, [], { SKIFF_DISABLE_AGENT: 'maybe' })).toThrow('SKIFF_DISABLE_AGENT: "maybe" is not a boolean');
  });
});

describe('formatFlags', () => {
  it('shows defaults and environment variables', () => {
    const text = formatFlags(defs);
    expect(text).toContain('--https-listen-port N');
    expect(text).toContain('(default 6443; env SKIFF_HTTPS_LISTEN_PORT)');
    expect(text).toMatch(/--token VALUE\s+secret\n|--token VALUE\s+secret$/);
  });
});

describe('dnsDomainFlag', () => {
  it('takes a DNS domain without its trailing dot and refuses anything else in one line', () => {
    expect(dnsDomainFlag({ 'cluster-domain': 'cluster.local.' }, 'cluster-domain')).toBe('cluster.local');
    expect(dnsDomainFlag({ 'cluster-domain': 'k8s' }, 'cluster-domain')).toBe('k8s');
    for (const bad of ['', 'Cluster.Local', 'a..b', '-a.b', 'a_b.c', `${'a'.repeat(64)}.b`]) {
      expect(() => dnsDomainFlag({ 'cluster-domain': bad }, 'cluster-domain'), bad).toThrow(UsageError);
    }
    expect(() => dnsDomainFlag({ 'cluster-domain': 'a..b' }, 'cluster-domain')).toThrow('--cluster-domain: "a..b" is not a DNS domain');
  });
});
