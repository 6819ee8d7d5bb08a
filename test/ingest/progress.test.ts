import { describe, expect, it } from 'vitest';
import { createLogger } from '../../ingest/src/log';
import { every, Progress, type ProgressOptions } from '../../ingest/src/progress';

/** A Progress on a hand-driven clock, writing to memory (a TTY or not). */
function harness(options: Partial<ProgressOptions> & { tty?: boolean } = {}) {
  let t = 1_000_000;
  const written: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const progress = new Progress({
    label: 'speed.csv',
    fields: { file: 'speed.csv' },
    now: () => t,
    output: { isTTY: options.tty ?? false, write: (text: string) => written.push(text) },
    logger: createLogger({ command: 'batch' }, { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    ...options,
  });
  return { progress, written, lines, advance: (ms: number) => void (t += ms) };
}

const withoutTs = (lines: Record<string, unknown>[]) => lines.map(({ ts: _ts, ...rest }) => rest);

describe('Progress (no terminal)', () => {
  it('writes a progress log line once per interval with rows, MB, rates and percent', async () => {
    const { progress, lines, advance } = harness({ totalBytes: 20_000_000 });
    progress.add(1000, 1_000_000);
    advance(4999);
    progress.add(1000, 1_000_000);
    expect(lines).toEqual([]);
    advance(1);
    progress.add(8000, 8_000_000);
    advance(2000);
    progress.add(1, 0);
    expect(withoutTs(lines)).toEqual([
      { level: 'info', msg: 'progress', command: 'batch', file: 'speed.csv', rows: 10_000, mb: 10, mb_per_s: 2, rows_per_s: 2000, percent: 50, elapsed_ms: 5000 },
    ]);
    advance(3000);
    progress.add(0, 10_000_000);
    expect(withoutTs(lines)[1]).toEqual({ level: 'info', msg: 'progress', command: 'batch', file: 'speed.csv', rows: 10_001, mb: 20, mb_per_s: 2, rows_per_s: 1000, percent: 100, elapsed_ms: 10_000 });
  });

  it('takes the percentage from rows when only their total is known, and leaves out MB when no bytes were counted', async () => {
    const { progress, lines, advance } = harness({ totalRows: 400, intervalMs: 1000 });
    advance(1000);
    progress.add(100);
    expect(withoutTs(lines)).toEqual([{ level: 'info', msg: 'progress', command: 'batch', file: 'speed.csv', rows: 100, rows_per_s: 100, percent: 25, elapsed_ms: 1000 }]);
  });

  it('counts each pass over the input from zero, naming the pass', async () => {
    const { progress, lines, advance } = harness({ totalBytes: 100, intervalMs: 0 });
    progress.restart();
    progress.add(10, 100);
    advance(1000);
    progress.restart();
    advance(1000);
    progress.add(5, 50);
    expect(withoutTs(lines).map((l) => [l.pass, l.rows, l.percent, l.elapsed_ms])).toEqual([[1, 10, 100, 1], [2, 5, 50, 1000]]);
  });

  it('done() writes nothing without a terminal', async () => {
    const { progress, written } = harness();
    progress.done();
    expect(written).toEqual([]);
  });
});

describe('Progress (terminal)', () => {
  it('redraws one bar in place every ttyIntervalMs instead of log lines, and clears it when done', async () => {
    const { progress, written, lines, advance } = harness({ tty: true, totalBytes: 4_000_000, ttyIntervalMs: 250 });
    advance(250);
    progress.add(50_000, 1_000_000);
    advance(100);
    progress.add(50_000, 1_000_000);
    advance(150);
    progress.add(0, 0);
    progress.done();
    expect(lines).toEqual([]);
    expect(written).toEqual([
      '\rspeed.csv [#####---------------]  25%  50,000 rows  200,000 rows/s  1 MB  4 MB/s\x1b[K',
      '\rspeed.csv [##########----------]  50%  100,000 rows  200,000 rows/s  2 MB  4 MB/s\x1b[K',
      '\r\x1b[K',
    ]);
  });
});

describe('every', () => {
  it('is true at most once per interval, first after one interval', async () => {
    let t = 0;
    const due = every(5000, () => t);
    const seen: boolean[] = [];
    for (const at of [0, 4999, 5000, 5001, 9999, 10_000, 30_000]) {
      t = at;
      seen.push(due());
    }
    expect(seen).toEqual([false, false, true, false, false, true, true]);
  });
});
