import fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MysimbdpError, UsageError } from '../../../infra/errors';
import type { Health } from './health';

/** A registry per server (not prom-client's global), so several servers can live in one process or test. */
export function createMetricsRegistry(component: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry, prefix: 'mysimbdp_' });
  return registry;
}

export function metricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get('/metrics', async (_request, reply) => {
    void reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}

/**
 * A worker's (sink, stream) HTTP server: `GET /metrics`, and the probes `GET /healthz` (200 while
 * live) and `GET /readyz` (200 once ready), each 503 otherwise with the reason in a JSON body.
 * Port 0 picks a free one; a taken port is a one-line error.
 */
export async function startMetricsServer(registry: Registry, port: number, health: Health, host = '0.0.0.0'): Promise<{ readonly port: number; close(): Promise<void> }> {
  const app = fastify({ logger: false });
  metricsRoute(app, registry);
  app.get('/healthz', async (_request, reply) => {
    const report = health.report;
    return reply.code(report.live ? 200 : 503).send({ status: report.live ? 'live' : 'failed', ...(report.reason === undefined ? {} : { reason: report.reason }) });
  });
  app.get('/readyz', async (_request, reply) => {
    const report = health.report;
    return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not ready', ...(report.reason === undefined ? {} : { reason: report.reason }) });
  });
  try {
    await app.listen({ port, host });
  } catch (err) {
    await app.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new MysimbdpError(`metrics port ${port} is in use: choose another with --metrics-port or METRICS_PORT (0 picks a free one)`, { cause: err });
    }
    throw err;
  }
  const address = app.server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : port, close: () => app.close() };
}

/** METRICS_PORT's meaning: unset or empty, no server; 0, a free port; else that port. */
export function metricsPortSetting(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > 65_535) throw new UsageError(`metrics port must be a port number (0 for a free one), got "${raw}"`);
  return Number(raw);
}
