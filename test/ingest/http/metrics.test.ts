import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Health } from '../../../ingest/src/http/health';
import { createMetricsRegistry, metricsPortSetting, startMetricsServer } from '../../../ingest/src/http/metrics';
import { thrownMessage } from '../../infra/fixtures';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function get(port: number, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: path === '/metrics' ? await response.text() : await response.json() };
}

describe('startMetricsServer', () => {
  it('serves metrics and probes that follow the worker\'s health, on a free port when given 0', async () => {
    const health = new Health();
    const server = await startMetricsServer(createMetricsRegistry('test'), 0, health, '127.0.0.1');
    closers.push(() => server.close());
    expect(server.port).toBeGreaterThan(0);
    expect(await get(server.port, '/healthz')).toEqual({ status: 200, body: { status: 'live', reason: 'starting' } });
    expect(await get(server.port, '/readyz')).toEqual({ status: 503, body: { status: 'not ready', reason: 'starting' } });
    health.markReady();
    expect(await get(server.port, '/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
    health.fail(new Error('cannot connect to Kafka'));
    expect(await get(server.port, '/healthz')).toEqual({ status: 503, body: { status: 'failed', reason: 'cannot connect to Kafka' } });
    expect(await get(server.port, '/readyz')).toEqual({ status: 503, body: { status: 'not ready', reason: 'cannot connect to Kafka' } });
    expect(String((await get(server.port, '/metrics')).body)).toContain('mysimbdp_process_cpu_seconds_total');
  });

  it('refuses a taken port in one line', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as net.AddressInfo).port;
    await expect(startMetricsServer(createMetricsRegistry('test'), port, new Health(), '127.0.0.1')).rejects.toThrow(
      `metrics port ${port} is in use: choose another with --metrics-port or METRICS_PORT (0 picks a free one)`,
    );
  });
});

describe('metricsPortSetting', () => {
  it('reads nothing as no server, 0 as a free port, else the port', async () => {
    expect([metricsPortSetting(''), metricsPortSetting('0'), metricsPortSetting('9464')]).toEqual([undefined, 0, 9464]);
  });

  it.each([['-1'], ['65536'], ['http'], ['1.5']])('refuses %j', async (raw) => {
    expect(thrownMessage(() => metricsPortSetting(raw))).toBe(`metrics port must be a port number (0 for a free one), got "${raw}"`);
  });
});
