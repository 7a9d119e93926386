import { describe, expect, it } from 'vitest';
import { cronScheduleErrors } from '../../../pkg/api/validation/index.ts';

// robfig/cron's standard parser, whose error text CronJob validation reports.

describe('cronScheduleErrors', () => {
  it.each(['*/5 * * * *', '0 3 * * 1-5', '15,45 */2 1 jan,jul sun', '@hourly', '@every 1h30m', '0 0 ? * MON'])('accepts %s', (s) => {
    expect(cronScheduleErrors(s)).toEqual([]);
  });

  it.each([
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
  ])('rejects %j', (s, msg) => {
    expect(cronScheduleErrors(s)).toEqual([msg]);
  });

  it('refuses time zones inside the schedule', () => {
    expect(cronScheduleErrors('CRON_TZ=UTC 0 * * * *')).toEqual(['cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
    expect(cronScheduleErrors('TZ=UTC 0 * * * *', true)).toEqual([]);
  });
});
