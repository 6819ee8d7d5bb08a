import { describe, expect, it } from 'vitest';
import { cronMatches, nextCronTime, parseCron, type CronSchedule } from '../../../../infra/tenant/rules/cron';

const parsed = (expr: string): CronSchedule => {
  const result = parseCron(expr);
  if (!result.ok) throw new Error(result.message);
  return result.schedule;
};

describe('parseCron', () => {
  it.each(['0 * * * *', '*/1 * * * *', '0-30/5 8-18 * * MON-FRI', '15,45 2 1,15 JAN,jul *', '0 0 * * 7', '@hourly', '@daily', '@weekly', '@monthly', '@yearly', '@annually', '@midnight', '5 4 * * sun'])('accepts %j', async (expr) => {
    await expect(Promise.resolve(parseCron(expr).ok)).resolves.toBe(true);
  });
  it.each([
    ['* * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['* * * * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), got 6'],
    ['60 * * * *', 'minute 60 is out of range 0-59'],
    ['0 24 * * *', 'hour 24 is out of range 0-23'],
    ['0 0 0 * *', 'day of month 0 is out of range 1-31'],
    ['0 0 * 13 *', 'month 13 is out of range 1-12'],
    ['0 0 * * 8', 'day of week 8 is out of range 0-7'],
    ['*/0 * * * *', 'minute step "0" must be a positive integer'],
    ['30-10 * * * *', 'minute range "30-10" runs backwards'],
    ['0 0 * FOO *', 'month "FOO" is not a number or name'],
    ['x * * * *', 'minute "x" is not a number'],
    ['1,,2 * * * *', 'minute "" is malformed'],
    ['@every 5m', 'unknown macro "@every 5m" (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)'],
  ])('rejects %j', async (expr, message) => {
    await expect(Promise.resolve(parseCron(expr))).resolves.toEqual({ ok: false, message });
  });
  it('expands lists, ranges, steps and names', async () => {
    const s = parsed('0-30/10 8 1,15 JAN-MAR MON-FRI');
    await expect(Promise.resolve([...s.minutes])).resolves.toEqual([0, 10, 20, 30]);
    await expect(Promise.resolve([...s.months])).resolves.toEqual([1, 2, 3]);
    await expect(Promise.resolve([...s.daysOfWeek])).resolves.toEqual([1, 2, 3, 4, 5]);
    await expect(Promise.resolve(s.domOrDow)).resolves.toBe(true);
  });
});

describe('cronMatches / nextCronTime', () => {
  it('fires hourly at minute 0', async () => {
    const s = parsed('0 * * * *');
    await expect(Promise.resolve(nextCronTime(s, new Date('2026-11-22T10:15:30Z'))?.toISOString())).resolves.toBe('2026-11-22T11:00:00.000Z');
  });
  it('treats day-of-month and day-of-week as either-or when both are set', async () => {
    const s = parsed('0 0 13 * FRI');
    await expect(Promise.resolve(cronMatches(s, new Date('2026-11-13T00:00:00Z')))).resolves.toBe(true); // Friday the 13th
    await expect(Promise.resolve(cronMatches(s, new Date('2026-11-20T00:00:00Z')))).resolves.toBe(true); // a Friday
    await expect(Promise.resolve(cronMatches(s, new Date('2026-11-14T00:00:00Z')))).resolves.toBe(false);
  });
  it('maps day 7 to Sunday', async () => {
    await expect(Promise.resolve(nextCronTime(parsed('0 0 * * 7'), new Date('2026-11-22T00:00:00Z'))?.toISOString())).resolves.toBe('2026-11-29T00:00:00.000Z');
  });
  it('returns undefined for a schedule that never fires', async () => {
    await expect(Promise.resolve(nextCronTime(parsed('0 0 30 2 *'), new Date('2026-01-01T00:00:00Z')))).resolves.toBeUndefined();
  });
});

describe('nextCronTime across boundaries', () => {
  it.each([
    ['*/15 * * * *', '2026-11-22T10:59:10Z', '2026-11-22T11:00:00.000Z'],
    ['30 2 * * *', '2026-12-31T23:00:00Z', '2027-01-01T02:30:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 9 * * MON', '2026-11-22T12:00:00Z', '2026-11-23T09:00:00.000Z'],
    ['@monthly', '2026-11-22T12:00:00Z', '2026-12-01T00:00:00.000Z'],
  ])('%s after %s is %s', async (expr, from, expected) => {
    await expect(Promise.resolve(nextCronTime(parsed(expr), new Date(from))?.toISOString())).resolves.toBe(expected);
  });
});
