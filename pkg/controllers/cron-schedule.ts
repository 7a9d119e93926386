/**
 * When a CronJob schedule fires: the standard 5 fields (minute hour day-of-month month
 * day-of-week, with names, ranges, steps, lists) or a descriptor, evaluated in an IANA time zone
 * (UTC by default) as robfig/cron does. Validation is pkg/api/validation/cron.ts; this assumes a
 * schedule that passed it. `@every` is not supported here (undefined: never fires).
 */
const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const names: Record<string, number> = Object.fromEntries([
  ...['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]),
  ...['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]),
]);
const bounds: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];

export interface Schedule {
  fields: Set<number>[];
  /** Day-of-month and day-of-week were both restricted: either may match (cron's rule). */
  dayOr: boolean;
  timeZone: string;
}

export function parseSchedule(spec: string, timeZone = 'UTC'): Schedule | undefined {
  let s = spec.trim();
  const tz = /^(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(s);
  if (tz) [, timeZone, s] = tz as unknown as [string, string, string];
  s = descriptors[s] ?? s;
  const parts = s.split(/\s+/);
  if (parts.length !== 5) return undefined;
  const fields = parts.map((p, i) => field(p, bounds[i]!));
  const restricted = (i: number) => !parts[i]!.startsWith('*') && !parts[i]!.startsWith('?');
  return { fields, dayOr: restricted(2) && restricted(4), timeZone };
}

function field(expr: string, [min, max]: [number, number]): Set<number> {
  const out = new Set<number>();
  for (const part of expr.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    let lo = min;
    let hi = max;
    if (range !== '*' && range !== '?') {
      const [a, b] = range!.split('-');
      lo = names[a!.toLowerCase()] ?? Number(a);
      hi = b !== undefined ? (names[b.toLowerCase()] ?? Number(b)) : stepText ? max : lo;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  if (max === 6 && out.has(7)) out.add(0); // Sunday as 7
  return out;
}

const partsFormat = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock minute, hour, day, month and weekday of `ms` in `timeZone`. */
function wall(ms: number, timeZone: string): number[] {
  let f = partsFormat.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', minute: 'numeric', hour: 'numeric', day: 'numeric', month: 'numeric', weekday: 'short' });
    partsFormat.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return [Number(p.minute), Number(p.hour), Number(p.day), Number(p.month), names[String(p.weekday).toLowerCase()]!];
}

export function matches(s: Schedule, ms: number): boolean {
  const [mi, h, d, mo, wd] = wall(ms, s.timeZone);
  if (!s.fields[0]!.has(mi!) || !s.fields[1]!.has(h!) || !s.fields[3]!.has(mo!)) return false;
  const dom = s.fields[2]!.has(d!);
  const dow = s.fields[4]!.has(wd!);
  return s.dayOr ? dom || dow : dom && dow;
}

const MINUTE = 60_000;
const horizon = 366 * 24 * 60; // minutes: nothing is searched further than a year

/** The latest firing time in (after, now], or undefined. */
export function lastFiring(s: Schedule, after: number, now: number): number | undefined {
  const start = Math.floor(now / MINUTE) * MINUTE;
  for (let t = start, i = 0; t > after && i < horizon; t -= MINUTE, i++) if (matches(s, t)) return t;
  return undefined;
}

/** The first firing time after `now`, or undefined within a year. */
export function nextFiring(s: Schedule, now: number): number | undefined {
  for (let t = Math.floor(now / MINUTE) * MINUTE + MINUTE, i = 0; i < horizon; t += MINUTE, i++) if (matches(s, t)) return t;
  return undefined;
}
