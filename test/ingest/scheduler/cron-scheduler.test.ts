import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../ingest/src/log';
import { CronScheduler } from '../../../ingest/src/scheduler/cron-scheduler';
import { schedule } from '../../infra/fixtures';

let lines: string[];
const logger = () => createLogger({}, { write: (l) => void lines.push(l) });

beforeEach(() => {
  lines = [];
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T02:00:30Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CronScheduler', () => {
  it('runs a job at each scheduled minute', async () => {
    const s = new CronScheduler(logger());
    const runs: string[] = [];
    s.add('client_a/speed', schedule('*/2 * * * *'), async () => void runs.push(new Date().toISOString()));
    expect(s.next()).toEqual({ 'client_a/speed': '2026-11-22T02:02:00.000Z' });
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(runs).toEqual(['2026-11-22T02:02:00.000Z', '2026-11-22T02:04:00.000Z']);
    await s.stop();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(runs).toHaveLength(2);
  });

  it('skips a run while the previous one is still going, and logs failures', async () => {
    const s = new CronScheduler(logger());
    let finish: () => void = () => undefined;
    let started = 0;
    s.add('slow', schedule('* * * * *'), () => {
      started++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    s.add('broken', schedule('* * * * *'), async () => Promise.reject(new Error('boom')));
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(started).toBe(1);
    expect(lines.filter((l) => l.includes('scheduled run skipped'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('"msg":"scheduled run failed"') && l.includes('"error":"boom"'))).toHaveLength(3);
    finish();
    await s.stop();
  });


  it('reads the schedule in the time zone given, as a CronJob with that spec.timeZone', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    const s = new CronScheduler(logger(), () => now);
    s.add('client_a/helsinki', schedule('0 2 * * *', 'Europe/Helsinki'), async () => undefined);
    s.add('client_a/utc', schedule('0 2 * * *'), async () => undefined);
    expect(s.next()).toEqual({ 'client_a/helsinki': '2026-12-04T00:00:00.000Z', 'client_a/utc': '2026-12-04T02:00:00.000Z' });
    void s.stop();
  });
});
