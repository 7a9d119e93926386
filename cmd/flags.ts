import { parseArgs } from 'node:util';

/**
 * Flags are a typed table (Vitest's cli-config idea): one row per flag gives its type, default,
 * help text and environment variable. Every flag can also come from `SKIFF_<FLAG>`
 * (`--data-dir` ← `SKIFF_DATA_DIR`); the command line wins over the environment.
 */
export interface FlagDef {
  name: string;
  type: 'string' | 'boolean' | 'number';
  help: string;
  /** Shown in help; a function is evaluated lazily (it may read the environment). */
  default?: string | number | boolean | (() => string | number | boolean);
  defaultText?: string;
  choices?: readonly string[];
  short?: string;
  /** Flags that are not read from SKIFF_<FLAG> (secrets that must not leak into `ps e`, …). */
  noEnv?: boolean;
}

export type FlagValues = Record<string, string | number | boolean | undefined>;

/** A command-line mistake: reported as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const envName = (flag: string) => `SKIFF_${flag.toUpperCase().replace(/-/g, '_')}`;

export function parseFlags(defs: FlagDef[], argv: string[], env: NodeJS.ProcessEnv = process.env): { values: FlagValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const d of defs) options[d.name] = { type: d.type === 'boolean' ? 'boolean' : 'string', ...(d.short ? { short: d.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true, allowNegative: true });
  } catch (err) {
    throw new UsageError(cleanParseError((err as Error).message));
  }
  const values: FlagValues = {};
  for (const d of defs) {
    const raw = parsed.values[d.name] ?? (d.noEnv ? undefined : env[envName(d.name)]);
    values[d.name] = raw === undefined ? evalDefault(d) : convert(d, raw, parsed.values[d.name] === undefined);
  }
  return { values, positionals: parsed.positionals };
}

function convert(d: FlagDef, raw: string | boolean, fromEnv: boolean): string | number | boolean {
  const where = fromEnv ? `${envName(d.name)}` : `--${d.name}`;
  if (d.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off|)$/i.test(raw)) return false;
    throw new UsageError(`${where}: "${raw}" is not a boolean (use true or false)`);
  }
  const s = String(raw);
  if (d.type === 'number') {
    const n = Number(s);
    if (s.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${where}: "${s}" is not a number`);
    return n;
  }
  if (d.choices && !d.choices.includes(s)) throw new UsageError(`${where}: "${s}" is not one of ${d.choices.join(', ')}`);
  return s;
}

function evalDefault(d: FlagDef) {
  return typeof d.default === 'function' ? d.default() : d.default;
}

// node's messages mention internals ("To specify a positional argument starting with a '-' …").
function cleanParseError(msg: string): string {
  const m = /Unknown option '([^']+)'/.exec(msg);
  if (m) return `unknown flag: ${m[1]}`;
  return msg.split('. ')[0].replace(/^Option '([^']+)'/, 'flag $1');
}

export function formatFlags(defs: FlagDef[]): string {
  const rows = defs.map((d) => {
    const name = `${d.short ? `-${d.short}, ` : ''}--${d.name}${d.type === 'boolean' ? '' : ` ${d.type === 'number' ? 'N' : 'VALUE'}`}`;
    const def = d.defaultText ?? (d.default === undefined || typeof d.default === 'function' ? undefined : String(d.default));
    const extra = [def !== undefined && def !== 'false' ? `default ${def}` : '', d.noEnv ? '' : `env ${envName(d.name)}`].filter(Boolean).join('; ');
    return [name, `${d.help}${extra ? ` (${extra})` : ''}`];
  });
  const w = Math.max(...rows.map((r) => r[0].length), 10) + 2;
  return rows.map(([a, b]) => `  ${a.padEnd(w)}${b}`).join('\n');
}

/** A DNS domain flag (e.g. --cluster-domain): lowercase RFC 1123 labels joined by dots, no trailing dot. */
export function dnsDomainFlag(flags: FlagValues, name: string): string {
  const v = String(flags[name] ?? '').replace(/\.$/, '');
  if (v.length > 253 || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/.test(v)) {
    throw new UsageError(`--${name}: "${flags[name]}" is not a DNS domain (lowercase letters, digits, '-' and '.', e.g. cluster.local)`);
  }
  return v;
}

/** The ingress proxy's host ports from --ingress-http-port/--ingress-https-port; undefined with --disable-ingress. */
export function ingressPorts(flags: FlagValues): { httpPort: number; httpsPort: number } | undefined {
  if (flags['disable-ingress']) return undefined;
  const port = (name: string) => {
    const v = flags[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) throw new UsageError(`--${name}: "${v}" is not a port (1-65535)`);
    return v;
  };
  const ports = { httpPort: port('ingress-http-port'), httpsPort: port('ingress-https-port') };
  if (ports.httpPort === ports.httpsPort) throw new UsageError('--ingress-http-port and --ingress-https-port must differ');
  return ports;
}
