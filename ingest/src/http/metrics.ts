import fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';

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

/** A server with only `GET /metrics`, for workers (sink, stream) on METRICS_PORT; port 0 picks a free one. */
export async function startMetricsServer(registry: Registry, port: number, host = '0.0.0.0'): Promise<{ readonly port: number; close(): Promise<void> }> {
  const app = fastify({ logger: false });
  metricsRoute(app, registry);
  await app.listen({ port, host });
  const address = app.server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : port, close: () => app.close() };
}
