import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../ingest/src/log';
import { parseStreamReport } from '../../../ingest/src/monitor/stream-report';
import { MonitorReporter } from '../../../ingest/src/stream/monitor-reporter';
import { StreamStats } from '../../../ingest/src/stream/stream-stats';

const identity = { tenant: 'client_a', dataset: 'speed-tracking-data', instance: 'pod-1' };

describe('StreamStats', () => {
  it('reports sums, average and p95 over the window, then starts a new one', () => {
    let now = Date.parse('2026-11-22T02:00:00Z');
    const stats = new StreamStats(identity, () => now);
    for (let i = 1; i <= 20; i++) stats.add({ messages: 1, rows: 100, bytes: 1000, durationMs: i * 10, errors: i === 20 ? 2 : 0 });
    now += 10_000;
    const report = stats.take();
    expect(report).toEqual({ ...identity, timestamp: '2026-11-22T02:00:10.000Z', window_seconds: 10, messages: 20, rows: 2000, bytes: 20000, avg_ingestion_ms: 105, p95_ingestion_ms: 190, errors: 2 });
    expect(parseStreamReport(report)).toBe(report);
    now += 5_000;
    expect(stats.take()).toMatchObject({ window_seconds: 5, messages: 0, rows: 0, avg_ingestion_ms: 0, p95_ingestion_ms: 0 });
  });
});

describe('MonitorReporter', () => {
  it('posts the report as JSON and survives a monitor that is down or refuses', async () => {
    const received: unknown[] = [];
    let status = 202;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ contentType: req.headers['content-type'], authorization: req.headers.authorization, body: JSON.parse(body) as unknown });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"invalid_report"}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/reports`;
    const lines: string[] = [];
    const logger = createLogger({}, { write: (l) => void lines.push(l) });
    const stats = new StreamStats(identity);
    stats.add({ messages: 3, rows: 30, bytes: 300, durationMs: 12, errors: 0 });
    await new MonitorReporter({ url, token: 'report-token', intervalSeconds: 1, stats, logger }).send();
    expect(received).toEqual([{ contentType: 'application/json', authorization: 'Bearer report-token', body: expect.objectContaining({ ...identity, messages: 3, rows: 30 }) }]);
    status = 400;
    await new MonitorReporter({ url, token: 'report-token', intervalSeconds: 1, stats, logger }).send();
    expect(lines.join('')).toContain('"msg":"monitor refused the report","status":400');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new MonitorReporter({ url, token: 'report-token', intervalSeconds: 1, stats, logger, timeoutMs: 1000 }).send();
    expect(lines.join('')).toContain('"msg":"monitor unreachable"');
  });
});
