import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tenant } from '../../../infra/tenant/types';
import { EngineError } from '../../../infra/errors';
import { createLogger } from '../../../ingest/src/log';
import { DecisionLog } from '../../../ingest/src/manager/decision-log';
import { DryRunScaleTarget } from '../../../ingest/src/manager/dry-run-scale-target';
import { NOTHING_SKIPPED } from '../../../ingest/src/manager/scale-target';
import { StreamManager } from '../../../ingest/src/manager/stream-manager';
import { BearerTokens } from '../../../ingest/src/api/bearer-tokens';
import { buildMonitorServer } from '../../../ingest/src/monitor/monitor-server';
import { clientA, tenantOf } from '../helpers/datasets';

const base = tenantOf('client_a', [clientA()]);
const tenant: Tenant = { ...base, agreement: { ...base.agreement, stream: { reportIntervalSeconds: 10, minRowsPerSecond: 100, maxAvgIngestionMs: 5000, minReplicas: 1, maxReplicas: 2 } } };
const DATASET = 'speed-tracking-data';
const report = (r: Record<string, unknown> = {}): Record<string, unknown> => ({
  tenant: 'client_a', dataset: DATASET, instance: 'pod-1', timestamp: '2026-11-22T02:00:00.000Z', window_seconds: 10,
  messages: 5, rows: 200, bytes: 20000, avg_ingestion_ms: 120, p95_ingestion_ms: 300, errors: 0, ...r,
});

const TOKEN = { client_a: 'token-a', client_b: 'token-b', client_z: 'token-z' } as const;
const sha = (t: string): string => crypto.createHash('sha256').update(t).digest('hex');
// client_z has a token but no tenant folder: its reports are unknown, not forbidden
const tokens = new BearerTokens(Object.fromEntries(Object.entries(TOKEN).map(([c, t]) => [c, sha(t)])));
const auth = (client: keyof typeof TOKEN) => ({ authorization: `Bearer ${TOKEN[client]}` });
const OPERATOR_TOKEN = 'token-operator';
const operatorTokens = new BearerTokens({ ops: sha(OPERATOR_TOKEN) }, 'operator tokens');

let app: FastifyInstance;
let clock: number;
let dir: string;
let target: DryRunScaleTarget;
let manager: StreamManager;

beforeEach(async () => {
  clock = 1_000_000;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitor-'));
  target = new DryRunScaleTarget();
  manager = new StreamManager(target, new DecisionLog(path.join(dir, 'decisions.jsonl')), createLogger({}, { write: () => undefined }));
  app = await buildMonitorServer({ tenants: [tenant], manager, tokens, operatorTokens, windowSeconds: 30, cooldownSeconds: 20, silenceCheckMs: 20, now: () => clock, log: createLogger({}, { write: () => undefined }) });
});
afterEach(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown, as: keyof typeof TOKEN = 'client_a') => app.inject({ method: 'POST', url: '/reports', payload: body as Record<string, unknown>, headers: auth(as) });
const get = (url: string, as: keyof typeof TOKEN = 'client_a') => app.inject({ method: 'GET', url, headers: auth(as) });

describe('tenant tokens', () => {
  it('401 with the challenge for a report without a token or with one it does not know', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }]) {
      const res = await app.inject({ method: 'POST', url: '/reports', payload: report(), headers });
      await expect(res.statusCode).toBe(401);
      await expect(res.headers['www-authenticate']).toBe('Bearer realm="mysimbdp"');
    }
    await expect((await app.inject({ method: 'POST', url: '/reports', payload: report() })).json()).toEqual({ error: { code: 'unauthorized', message: 'missing bearer token' } });
    await expect((await app.inject({ method: 'GET', url: '/decisions' })).statusCode).toBe(401);
  });

  it('403 when one tenant reports for, or reads, another', async () => {
    const res = await post(report(), 'client_b');
    await expect(res.statusCode).toBe(403);
    await expect(res.json()).toEqual({ error: { code: 'forbidden', message: 'the token is not valid for tenant "client_a"' } });
    await expect(target.replicas(tenant, tenant.datasets[0]!)).resolves.toBe(1);
    await expect((await get('/reports/client_a', 'client_b')).statusCode).toBe(403);
    await expect((await get('/decisions?tenant=client_a', 'client_b')).statusCode).toBe(403);
  });

  it('shows a tenant its own decisions only', async () => {
    await post(report({ rows: 500 }));
    await expect((await get('/decisions')).json().decisions).toHaveLength(1);
    await expect((await get('/decisions', 'client_b')).json()).toEqual({ decisions: [] });
  });
});

describe('operator tokens', () => {
  const asOperator = (url: string, token = OPERATOR_TOKEN) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it("GET /decisions with an operator token answers every tenant's decisions, or one tenant's with ?tenant=", async () => {
    await manager.log.append({ tenant: 'client_b', dataset: 'other', action: 'alert', from: 1, to: 1, reason: 'b', time: '2026-11-22T01:00:00.000Z', outcome: 'alerted' });
    await post(report({ rows: 500 }));
    const all = await asOperator('/decisions');
    await expect({ status: all.statusCode, tenants: (all.json().decisions as { tenant: string }[]).map((d) => d.tenant) }).toEqual({ status: 200, tenants: ['client_a', 'client_b'] });
    await expect((asOperator('/decisions?tenant=client_b').then((r) => r.json().decisions as { reason: string }[]))).resolves.toEqual([expect.objectContaining({ reason: 'b' })]);
    // a tenant's token still reads only its own
    await expect(((await get('/decisions')).json().decisions as { tenant: string }[]).map((d) => d.tenant)).toEqual(['client_a']);
  });

  it('401 for a token that is neither a tenant\'s nor an operator\'s; an operator token cannot report or read reports', async () => {
    const unknown = await asOperator('/decisions', 'token-nobody');
    await expect({ status: unknown.statusCode, body: unknown.json() }).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'invalid bearer token' } } });
    await expect((await app.inject({ method: 'POST', url: '/reports', payload: report(), headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).statusCode).toBe(401);
    await expect((await asOperator('/reports/client_a')).statusCode).toBe(401);
  });

  it('403 when a tenant token asks for every tenant\'s decisions through ?tenant=', async () => {
    const res = await get('/decisions?tenant=client_b');
    await expect({ status: res.statusCode, body: res.json() }).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'the token is not valid for tenant "client_b"' } } });
  });

  it('without operator tokens, an operator token is a 401', async () => {
    const bare = await buildMonitorServer({ tenants: [tenant], manager, tokens, log: createLogger({}, { write: () => undefined }) });
    try {
      await expect((await bare.inject({ method: 'GET', url: '/decisions', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).statusCode).toBe(401);
    } finally {
      await bare.close();
    }
  });
});

describe('POST /reports', () => {
  it('accepts a report within thresholds without decisions', async () => {
    const res = await post(report({ rows: 2000 }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: true, window: { seconds: 30, reports: 1, rowsPerSecond: 200 }, decisions: [] });
  });

  it('a report below minRowsPerSecond leads to a scale-up, logged with the reason; then the cooldown and maxReplicas hold', async () => {
    const res = await post(report({ rows: 500 }));
    expect(res.json().decisions).toEqual([
      expect.objectContaining({ tenant: 'client_a', dataset: DATASET, action: 'scale_up', from: 1, to: 2, reason: '50 rows/s < minRowsPerSecond 100', outcome: 'applied' }),
    ]);
    expect(await target.replicas(tenant, tenant.datasets[0]!)).toBe(2);
    clock += 10_000;
    expect((await post(report({ rows: 500 }))).json().decisions).toEqual([]);
    clock += 15_000;
    expect((await post(report({ rows: 500 }))).json().decisions).toEqual([
      expect.objectContaining({ action: 'alert', from: 2, to: 2, reason: '50 rows/s < minRowsPerSecond 100; already at maxReplicas 2', outcome: 'alerted' }),
    ]);
    const lines = fs.readFileSync(path.join(dir, 'decisions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.action, l.from, l.to])).toEqual([['scale_up', 1, 2], ['alert', 2, 2]]);
    expect(Object.keys(lines[0]!).sort()).toEqual(['action', 'dataset', 'from', 'outcome', 'reason', 'tenant', 'time', 'to']);
    const decisions = (await get('/decisions?tenant=client_a')).json().decisions as { action: string }[];
    expect(decisions.map((d) => d.action)).toEqual(['alert', 'scale_up']);
  });

  it('scales down after an idle window', async () => {
    await target.scale(tenant, tenant.datasets[0]!, 2);
    expect((await post(report({ messages: 0, rows: 0, bytes: 0, avg_ingestion_ms: 0, p95_ingestion_ms: 0, window_seconds: 15 }))).json().decisions).toEqual([]);
    clock += 15_000;
    const res = await post(report({ messages: 0, rows: 0, bytes: 0, avg_ingestion_ms: 0, p95_ingestion_ms: 0, window_seconds: 15 }));
    expect(res.json().decisions).toEqual([expect.objectContaining({ action: 'scale_down', from: 2, to: 1 })]);
  });

  it.each([
    [{ rows: -1 }, 'rows', 'report field rows must be >= 0'],
    [{ rows: undefined }, 'rows', "report field rows must have required property 'rows'"],
    [{ timestamp: 'yesterday' }, 'timestamp', 'report field timestamp must match format "date-time"'],
    [{ window_seconds: 0 }, 'window_seconds', 'report field window_seconds must be > 0'],
    [{ extra: 1 }, 'extra', 'report field extra must NOT have additional properties'],
    [{ tenant: '../x' }, 'tenant', 'report field tenant must match pattern "^[A-Za-z0-9_-]+$"'],
  ])('400 naming the field for %j', async (change, field, message) => {
    const body = report(change);
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete body[k];
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_report', field, message });
  });

  it('400 for a non-JSON body, 422 for an unknown tenant or dataset', async () => {
    const bad = await app.inject({ method: 'POST', url: '/reports', payload: '{"tenant":', headers: { 'content-type': 'application/json', ...auth('client_a') } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('fst_err_ctp_invalid_json_body');
    const url = await app.inject({ method: 'POST', url: '/reports/%zz', payload: '{}', headers: { 'content-type': 'application/json' } });
    await expect(url.json()).toEqual({ error: { code: 'fst_err_bad_url', message: "'/reports/%zz' is not a valid url component" } });
    expect((await post(report({ tenant: 'client_z' }), 'client_z')).json()).toEqual({ error: { code: 'unknown_tenant', message: 'report for unknown tenant "client_z"', field: 'tenant' } });
    expect((await post(report({ dataset: 'nope' }))).statusCode).toBe(422);
  });
});

describe('a scale target that fails', () => {
  it('still accepts the report and says why no decision was made', async () => {
    await app.close();
    const failing = { replicas: async () => Promise.reject(new EngineError('Kubernetes API: cannot read deployment mysimbdp-client-a/client-a-speed-tracking-data-stream (HTTP 404): not found')), scale: async () => NOTHING_SKIPPED };
    app = await buildMonitorServer({ tenants: [tenant], manager: new StreamManager(failing, new DecisionLog(), createLogger({}, { write: () => undefined })), tokens, log: createLogger({}, { write: () => undefined }) });
    const res = await post(report({ rows: 10 }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: true, decisions: [], decision_error: 'Kubernetes API: cannot read deployment mysimbdp-client-a/client-a-speed-tracking-data-stream (HTTP 404): not found' });
  });
});

describe('silence', () => {
  it('alerts once when a dataset that reported stops reporting, again after it came back and went silent', async () => {
    await post(report({ rows: 2000 }));
    const alerts = async (): Promise<string[]> => ((await get('/decisions')).json().decisions as { reason: string }[]).map((d) => d.reason);
    clock += 29_000;
    await new Promise((r) => setTimeout(r, 100));
    expect(await alerts()).toEqual([]);
    clock += 2_000;
    await vi.waitFor(async () => expect(await alerts()).toEqual(['no reports for 31 s (expected every 10 s)']));
    await new Promise((r) => setTimeout(r, 100));
    expect(await alerts()).toHaveLength(1);
    await post(report({ rows: 2000 }));
    clock += 40_000;
    await vi.waitFor(async () => expect(await alerts()).toEqual(['no reports for 40 s (expected every 10 s)', 'no reports for 31 s (expected every 10 s)']));
  });
});

describe('GET endpoints', () => {
  it('shows recent reports per tenant, decisions and metrics', async () => {
    await post(report({ instance: 'pod-1' }));
    await post(report({ instance: 'pod-2', rows: 300 }));
    const recent = (await get('/reports/client_a')).json();
    expect(recent.reports.map((r: { instance: string }) => r.instance).sort()).toEqual(['pod-1', 'pod-2']);
    expect(recent.datasets[DATASET]).toMatchObject({ reports: 2, instances: 2, rowsPerSecond: 50 });
    expect((await get('/reports/client_z', 'client_z')).statusCode).toBe(404);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`mysimbdp_monitor_reports_total{tenant="client_a",dataset="${DATASET}",component="monitor"} 2`);
    expect(metrics).toContain(`mysimbdp_stream_rows_per_second{tenant="client_a",dataset="${DATASET}",component="monitor"} 50`);
  });
});
