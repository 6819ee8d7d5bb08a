import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron, Schedule, type CronSchedule } from '../../../../infra/tenant/rules/cron';

const parsed = (expr: string): CronSchedule => {
  const result = parseCron(expr);
  if (!result.ok) throw new Error(result.message);
  return result.schedule;
};

describe('parseCron (robfig/cron v3 ParseStandard, as the API server)', () => {
  it.each([
    '0 * * * *', '*/1 * * * *', '0-30/5 8-18 * * MON-FRI', '15,45 2 1,15 JAN,jul *', '5 4 * * sun', '0 0 ? * MON', '0 0 * * ?',
    '@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@annually', '@midnight', '@every 5m', '@every 1h30m', '@every 1.5m',
    '+5 * * * *', '007 * * * *', '1,,2 * * * *', '*-5 * * * *', '  0 0 * * *  ', '0\t0 * * *', '5/15 * * * *',
  ])('accepts %j', async (expr) => {
    await expect(Promise.resolve(parseCron(expr))).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['', 'is empty', false],
    ['* * * *', 'expected exactly 5 fields (minute hour day-of-month month day-of-week), found 4', false],
    ['0 0 * * * *', 'expected exactly 5 fields (minute hour day-of-month month day-of-week), found 6', false],
    [' @hourly', 'expected exactly 5 fields (minute hour day-of-month month day-of-week), found 1', false],
    ['@hourly ', 'unrecognized descriptor "@hourly " (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>)', false],
    ['60 * * * *', 'minute: end of range (60) above maximum (59) in "60"', false],
    ['0 24 * * *', 'hour: end of range (24) above maximum (23) in "24"', false],
    ['0 0 0 * *', 'day of month: beginning of range (0) below minimum (1) in "0"', false],
    ['0 0 * 13 *', 'month: end of range (13) above maximum (12) in "13"', false],
    ['0 0 * * 7', 'day of week: end of range (7) above maximum (6) (Sunday is 0) in "7"', false],
    ['0 0 * * 1-7', 'day of week: end of range (7) above maximum (6) (Sunday is 0) in "1-7"', false],
    ['*/0 * * * *', 'minute: step of range should be a positive number in "*/0"', false],
    ['30-10 * * * *', 'minute: beginning of range (30) beyond end of range (10) in "30-10"', false],
    ['1-2-3 * * * *', 'minute: too many hyphens in "1-2-3"', false],
    ['*/2/3 * * * *', 'minute: too many slashes in "*/2/3"', false],
    ['-1 * * * *', 'minute: "" is not a number in "-1"', false],
    ['0 0 * FOO *', 'month: "FOO" is not a number or name in "FOO"', false],
    ['x * * * *', 'minute: "x" is not a number in "x"', false],
    ['TZ=UTC 0 * * * *', 'cannot use TZ or CRON_TZ in schedule (the API server refuses it; schedules run in UTC)', false],
    ['@every 5x', '@every: "5x" is not a duration such as 90s, 5m or 1h30m', false],
    ['@every', 'unrecognized descriptor "@every" (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>)', false],
    ['0 0 31 2 *', 'never fires: no date matches its day-of-month, month and day-of-week', true],
    ['0 0 , * *', 'never fires: no date matches its day-of-month, month and day-of-week', true],
    ['@every 0', '@every 0: a duration under one second runs every second; use 1s or more', true],
    ['@every -5m', '@every -5m: a duration under one second runs every second; use 1s or more', true],
    ['@every 1500ms', '@every 1500ms: Kubernetes truncates the duration to whole seconds; give whole seconds', true],
  ])('refuses %j: %s', async (expr, message, deliberate) => {
    await expect(Promise.resolve(parseCron(expr))).resolves.toEqual({ ok: false, message, deliberate });
  });

  it('expands lists, ranges, steps and names, and keeps the star of * and ? (not of */2)', async () => {
    const s = parsed('0-30/10 8 1,15 JAN-MAR MON-FRI');
    if (s.kind !== 'fields') throw new Error('fields expected');
    await expect(Promise.resolve([...s.minute.values])).resolves.toEqual([0, 10, 20, 30]);
    await expect(Promise.resolve([...s.month.values])).resolves.toEqual([1, 2, 3]);
    await expect(Promise.resolve([...s.dayOfWeek.values])).resolves.toEqual([1, 2, 3, 4, 5]);
    const stars = parsed('*/1 */2 ? * *');
    if (stars.kind !== 'fields') throw new Error('fields expected');
    await expect(Promise.resolve([stars.minute.star, stars.hour.star, stars.dayOfMonth.star])).resolves.toEqual([true, false, true]);
  });
});

/** Whether the schedule fires at `iso` (a whole UTC minute): the next fire time after the minute before. */
const firesAt = (schedule: CronSchedule, iso: string): boolean => nextCronTime(schedule, new Date(Date.parse(iso) - 60_000))?.toISOString() === new Date(iso).toISOString();

describe('nextCronTime', () => {
  it('fires hourly at minute 0', async () => {
    await expect(Promise.resolve(nextCronTime(parsed('0 * * * *'), new Date('2026-11-22T10:15:30Z'))?.toISOString())).resolves.toBe('2026-11-22T11:00:00.000Z');
  });
  it('treats day-of-month and day-of-week as either-or when neither is a star', async () => {
    const s = parsed('0 0 13 * FRI');
    await expect(Promise.resolve(firesAt(s, '2026-11-13T00:00:00Z'))).resolves.toBe(true); // Friday the 13th
    await expect(Promise.resolve(firesAt(s, '2026-11-20T00:00:00Z'))).resolves.toBe(true); // a Friday
    await expect(Promise.resolve(firesAt(s, '2026-11-14T00:00:00Z'))).resolves.toBe(false);
  });
  it('needs both days when one is */1 (a star): 0 0 */1 * 1 fires on Mondays only', async () => {
    const s = parsed('0 0 */1 * 1');
    await expect(Promise.resolve(nextCronTime(s, new Date('2026-12-03T12:00:00Z'))?.toISOString())).resolves.toBe('2026-12-07T00:00:00.000Z');
    await expect(Promise.resolve(firesAt(s, '2026-12-04T00:00:00Z'))).resolves.toBe(false);
  });
  it('runs @every on a constant delay from whole seconds', async () => {
    await expect(Promise.resolve(nextCronTime(parsed('@every 90s'), new Date('2026-12-03T12:00:00.700Z'))?.toISOString())).resolves.toBe('2026-12-03T12:01:30.000Z');
  });
});

describe('nextCronTime across boundaries', () => {
  it.each([
    ['*/15 * * * *', '2026-11-22T10:59:10Z', '2026-11-22T11:00:00.000Z'],
    ['30 2 * * *', '2026-12-31T23:00:00Z', '2027-01-01T02:30:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 9 * * MON', '2026-11-22T12:00:00Z', '2026-11-23T09:00:00.000Z'],
    ['@monthly', '2026-11-22T12:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['@weekly', '2026-12-03T12:00:00Z', '2026-12-06T00:00:00.000Z'],
    ['@yearly', '2026-12-03T12:00:00Z', '2027-01-01T00:00:00.000Z'],
  ])('%s after %s is %s', async (expr, from, expected) => {
    await expect(Promise.resolve(nextCronTime(parsed(expr), new Date(from))?.toISOString())).resolves.toBe(expected);
  });
});

describe('Schedule', () => {
  it('keeps the expression as written and its zone, and fires in that zone', async () => {
    const s = Schedule.parse('0 2 * * *', 'Europe/Helsinki');
    if (typeof s === 'string') throw new Error(s);
    await expect(Promise.resolve([s.expression, s.timeZone, s.next(new Date('2026-12-03T10:00:00Z'))?.toISOString()])).resolves.toEqual(['0 2 * * *', 'Europe/Helsinki', '2026-12-04T00:00:00.000Z']);
  });
  it('is not made from an expression the contract refuses', async () => {
    await expect(Promise.resolve(Schedule.parse('0 0 * * 7'))).resolves.toBe('day of week: end of range (7) above maximum (6) (Sunday is 0) in "7"');
  });
});
