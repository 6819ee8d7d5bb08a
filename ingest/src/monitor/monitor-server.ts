import type { FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import type { Tenant } from '../../../infra/tenant/types';
import { authenticatedClient, BearerTokens, bearerToken, requireSameTenant } from '../api/bearer-tokens';
import { createJsonServer, HttpError } from '../http/http-error';
import { createMetricsRegistry, metricsRoute } from '../http/metrics';
import { createLogger, errorFields, type Logger } from '../log';
import type { DecisionRecord } from '../manager/decision';
import type { StreamManager } from '../manager/stream-manager';
import { decide } from './decide';
import { ReportWindow } from './report-window';
import { parseStreamReport } from './stream-report';

export interface MonitorServerOptions {
  readonly tenants: readonly Tenant[];
  readonly manager: StreamManager;
  /** Each tenant's report token (its stream's MONITOR_TOKEN): a tenant reports and reads only its own. */
  readonly tokens: BearerTokens;
  /** Operator tokens (the tokens file format: operator name → SHA-256 hex): `GET /decisions` with one
   * answers every tenant's decisions (the upload API's operator view). @default none */
  readonly operatorTokens?: BearerTokens;
  /** Sliding window the rules look at. @default 60 */
  readonly windowSeconds?: number;
  /** Quiet time after a decision for one tenant dataset, so a scale takes effect before the next. @default 60 */
  readonly cooldownSeconds?: number;
  /** How often to look for instances that went silent. @default 5000 */
  readonly silenceCheckMs?: number;
  /** @default JSON lines on stderr */
  readonly log?: Logger;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Missed report intervals after which a tenant dataset that used to report gets a `no reports` alert. */
export const SILENT_INTERVALS = 3;

/** mysimbdp-streamingestmonitor: receives stream reports, keeps a window, asks the manager to act. */
export async function buildMonitorServer(options: MonitorServerOptions): Promise<FastifyInstance> {
  const log = options.log ?? createLogger({ component: 'monitor' });
  const windowSeconds = options.windowSeconds ?? 60;
  const cooldownMs = (options.cooldownSeconds ?? 60) * 1000;
  const now = options.now ?? Date.now;
  const window = new ReportWindow(windowSeconds);
  const lastDecision = new Map<string, number>();
  /** Last report time per `<tenant>/<dataset>`, and whether its silence was alerted. */
  const lastReport = new Map<string, { at: number; alerted: boolean }>();

  const app = createJsonServer({ bodyLimit: 64 * 1024 }, log);
  const registry = createMetricsRegistry('monitor');
  const reports = new Counter({ name: 'mysimbdp_monitor_reports_total', help: 'Reports received', labelNames: ['tenant', 'dataset'], registers: [registry] });
  const decisions = new Counter({ name: 'mysimbdp_monitor_decisions_total', help: 'Decisions by action and outcome', labelNames: ['tenant', 'dataset', 'action', 'outcome'], registers: [registry] });
  const rate = new Gauge({ name: 'mysimbdp_stream_rows_per_second', help: 'Rows/s over the monitor window', labelNames: ['tenant', 'dataset'], registers: [registry] });
  const avg = new Gauge({ name: 'mysimbdp_stream_avg_ingestion_ms', help: 'Average ingestion time over the monitor window', labelNames: ['tenant', 'dataset'], registers: [registry] });
  const replicasGauge = new Gauge({ name: 'mysimbdp_stream_replicas', help: 'Stream replicas as last seen by the monitor', labelNames: ['tenant', 'dataset'], registers: [registry] });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => ({ status: 'ready', tenants: options.tenants.length }));
  metricsRoute(app, registry);

  // Tenant pods reach this port: a report, or a read, needs the token of the tenant it is about, so
  // no tenant can steer another's scaling or see its figures.
  app.post('/reports', async (request, reply) => {
    const client = authenticatedClient(options.tokens, request.headers.authorization);
    const report = parseStreamReport(request.body);
    requireSameTenant(client, report.tenant);
    const tenant = options.tenants.find((t) => t.client === report.tenant);
    if (tenant === undefined) throw new HttpError(422, 'unknown_tenant', `report for unknown tenant ${JSON.stringify(report.tenant)}`, { field: 'tenant' });
    const dataset = tenant.datasets.find((d) => d.name === report.dataset);
    if (dataset === undefined) throw new HttpError(422, 'unknown_dataset', `tenant ${tenant.client} has no dataset ${JSON.stringify(report.dataset)}`, { field: 'dataset' });
    const t = now();
    window.add(report, t);
    lastReport.set(`${tenant.client}/${dataset.name}`, { at: t, alerted: false });
    reports.inc({ tenant: tenant.client, dataset: dataset.name });
    const stats = window.stats(tenant.client, dataset.name, t);
    const labels = { tenant: tenant.client, dataset: dataset.name };
    rate.set(labels, stats.rowsPerSecond);
    avg.set(labels, stats.avgIngestionMs);

    const key = `${tenant.client}/${dataset.name}`;
    const applied: DecisionRecord[] = [];
    let failure: string | undefined;
    if (t - (lastDecision.get(key) ?? -Infinity) >= cooldownMs) {
      try {
        const replicas = await options.manager.replicas(tenant, dataset);
        replicasGauge.set(labels, replicas);
        for (const decision of decide(tenant.client, dataset.name, stats, tenant.agreement.stream, replicas, windowSeconds)) {
          const record = await options.manager.apply(tenant, dataset, decision);
          decisions.inc({ ...labels, action: record.action, outcome: record.outcome });
          applied.push(record);
        }
      } catch (err) {
        // The report is kept either way; the scale target (e.g. the Kubernetes API) being away is the monitor's problem.
        failure = String(errorFields(err).error);
        log.error('cannot evaluate the report', { tenant: tenant.client, dataset: dataset.name, ...errorFields(err) });
      }
      if (applied.length > 0) lastDecision.set(key, t);
    }
    return reply.code(202).send({ accepted: true, window: { seconds: windowSeconds, ...stats }, decisions: applied, ...(failure === undefined ? {} : { decision_error: failure }) });
  });

  app.get<{ Params: { tenant: string } }>('/reports/:tenant', async (request) => {
    requireSameTenant(authenticatedClient(options.tokens, request.headers.authorization), request.params.tenant);
    const tenant = options.tenants.find((t) => t.client === request.params.tenant);
    if (tenant === undefined) throw new HttpError(404, 'unknown_tenant', `tenant ${JSON.stringify(request.params.tenant)} is not configured`);
    return {
      tenant: tenant.client,
      window_seconds: windowSeconds,
      datasets: Object.fromEntries(tenant.datasets.map((d) => [d.name, window.stats(tenant.client, d.name, now())])),
      reports: window.recent(tenant.client, now()),
    };
  });

  // A stream that stopped reporting (crashed, stuck, cut off) cannot trigger the rules: alert once per silence.
  const silenceCheck = setInterval(() => {
    const t = now();
    for (const [key, last] of lastReport) {
      const [client, name] = key.split('/') as [string, string];
      const tenant = options.tenants.find((x) => x.client === client);
      const dataset = tenant?.datasets.find((d) => d.name === name);
      if (tenant === undefined || dataset === undefined || last.alerted) continue;
      const interval = tenant.agreement.stream.reportIntervalSeconds;
      const silent = (t - last.at) / 1000;
      if (silent < SILENT_INTERVALS * interval) continue;
      last.alerted = true;
      void options.manager.replicas(tenant, dataset)
        .then((replicas) => options.manager.apply(tenant, dataset, { tenant: client, dataset: name, action: 'alert', from: replicas, to: replicas, reason: `no reports for ${Math.round(silent)} s (expected every ${interval} s)` }))
        .then((record) => decisions.inc({ tenant: client, dataset: name, action: record.action, outcome: record.outcome }))
        .catch((err: unknown) => log.error('silence alert failed', { tenant: client, dataset: name, ...errorFields(err) }));
    }
  }, options.silenceCheckMs ?? 5000);
  silenceCheck.unref();
  app.addHook('onClose', async () => clearInterval(silenceCheck));

  const operatorTokens = options.operatorTokens ?? new BearerTokens({}, 'operator tokens');
  // A tenant's token reads its own decisions; an operator's every tenant's (or `?tenant=`'s).
  app.get<{ Querystring: { tenant?: string } }>('/decisions', async (request) => {
    const header = request.headers.authorization;
    const token = bearerToken(header);
    const client = token === undefined ? undefined : options.tokens.authenticate(token);
    if (client !== undefined) {
      requireSameTenant(client, request.query.tenant ?? client);
      return { decisions: options.manager.log.recent(client) };
    }
    authenticatedClient(operatorTokens, header);
    return { decisions: options.manager.log.recent(request.query.tenant) };
  });
  return app;
}
