/**
 * CronJob schedules as upstream checks them: robfig/cron's standard parser (5 fields, or a
 * descriptor), whose error text becomes the detail of `spec.schedule: Invalid value: …`.
 * Returns the first problem only, as the parser stops at it.
 */

interface Bounds { min: number; max: number; names?: Record<string, number> }

const months = Object.fromEntries(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]));
const days = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));
const fields: Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: months }, { min: 0, max: 6, names: days }];
const descriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

class CronError extends Error {}

function mustParseInt(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

const intOrName = (expr: string, b: Bounds) => b.names?.[expr.toLowerCase()] ?? mustParseInt(expr);

function checkRange(expr: string, b: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') [start, end] = [b.min, b.max];
  else {
    start = intOrName(lowHigh[0], b);
    if (lowHigh.length > 2) throw new CronError(`too many hyphens: ${expr}`);
    end = lowHigh.length === 2 ? intOrName(lowHigh[1], b) : start;
  }
  let step = 1;
  if (rangeAndStep.length > 2) throw new CronError(`too many slashes: ${expr}`);
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    if (lowHigh.length === 1) end = b.max;
  }
  if (start < b.min) throw new CronError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
}

const GO_DURATION = /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/;

function parse(schedule: string): void {
  if (schedule.length === 0) throw new CronError('empty spec string');
  let spec = schedule;
  if (/^(CRON_)?TZ=/.test(spec)) spec = spec.slice(Math.max(spec.indexOf(' '), 0)).trim();
  if (spec.startsWith('@')) {
    if (descriptors.has(spec)) return;
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length);
      if (!GO_DURATION.test(d) || d === '') throw new CronError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`);
      return;
    }
    throw new CronError(`unrecognized descriptor: ${spec}`);
  }
  const parts = spec.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) throw new CronError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  parts.forEach((p, i) => p.split(',').filter(Boolean).forEach((r) => checkRange(r, fields[i])));
}

/** Details for `spec.schedule` problems ([] when valid); TZ prefixes are refused on create. */
export function cronScheduleErrors(schedule: string, allowTZ = false): string[] {
  const errs: string[] = [];
  try {
    parse(schedule);
  } catch (err) {
    if (!(err instanceof CronError)) throw err;
    errs.push(err.message);
  }
  if (!allowTZ && schedule.includes('TZ')) errs.push('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  return errs;
}
