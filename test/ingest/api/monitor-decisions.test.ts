import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../infra/errors';
import { buildApiServer } from '../../../ingest/src/api/api-server';
import { BearerTokens } from '../../../ingest/src/api/bearer-tokens';
import { MONITOR_TIMEOUT_MS, MonitorDecisions, monitorDecisionsFrom } from '../../../ingest/src/api/monitor-decisions';
import { KeyRing } from '../../../ingest/src/crypto/key-ring';
import { createLogger } from '../../../ingest/src/log';
import type { DecisionRecord } from '../../../ingest/src/manager/decision';
import { DecisionLog } from '../../../ingest/src/manager/decision-log';
import { DryRunScaleTarget } from '../../../ingest/src/manager/dry-run-scale-target';
import { StreamManager } from '../../../ingest/src/manager/stream-manager';
import { buildMonitorServer } from '../../../ingest/src/monitor/monitor-server';
import { clientA, clientB, tenantOf } from '../helpers/datasets';

// The operator view's decisions come from a real monitor server, in-process on a free port, asked
// over HTTP with an operator token, as the upload API does on a cluster.

const sha = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');
const quiet = createLogger({}, { write: () => undefined });
const OPERATOR = 'token-of-the-api';
const tenants = [tenantOf('client_a', [clientA()]), tenantOf('client_b', [clientB()])];
const decision = (tenant: string, reason: string): DecisionRecord => ({ tenant, dataset: 'd', action: 'alert', from: 1, to: 1, reason, time: '2026-11-22T02:00:00.000Z', outcome: 'alerted' });

let monitor: FastifyInstance;
let url: string;
/** A port nothing listens on. */
let deadUrl: string;
/** A server that accepts connections and never answers. */
let silent: net.Server;
let silentUrl: string;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  const manager = new StreamManager(new DryRunScaleTarget(), new DecisionLog(), quiet);
  for (const [tenant, reason] of [['client_a', 'a1'], ['client_b', 'b1'], ['client_a', 'a2']] as const) await manager.log.append(decision(tenant, reason));
  monitor = await buildMonitorServer({ tenants, manager, tokens: new BearerTokens({ client_a: sha('token-a') }), operatorTokens: new BearerTokens({ upload_api: sha(OPERATOR) }), log: quiet });
  url = await monitor.listen({ port: 0, host: '127.0.0.1' });
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  deadUrl = `http://127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
  silent = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  await monitor.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('MonitorDecisions', () => {
  it("reads every tenant's newest decisions, newest first, up to the limit", async () => {
    await expect((await new MonitorDecisions(url, OPERATOR).recent(50)).map((d) => `${d.tenant} ${d.reason}`)).toEqual(['client_a a2', 'client_b b1', 'client_a a1']);
    await expect((await new MonitorDecisions(`${url}/`, OPERATOR).recent(2)).map((d) => d.reason)).toEqual(['a2', 'b1']);
  });

  it("rejects with the monitor's answer when the token is refused", async () => {
    await expect(new MonitorDecisions(url, 'wrong').recent(50)).rejects.toThrow(`the monitor at ${url}/decisions answered 401: invalid bearer token`);
  });

  it('rejects at once when nothing listens, and within the timeout when the monitor does not answer', async () => {
    const started = Date.now();
    await expect(new MonitorDecisions(deadUrl, OPERATOR).recent(50)).rejects.toThrow(`the monitor at ${deadUrl}/decisions cannot be reached: ECONNREFUSED`);
    await expect(Date.now() - started).toBeLessThan(1000);
    await expect(new MonitorDecisions(silentUrl, OPERATOR, 200).recent(50)).rejects.toThrow(`the monitor at ${silentUrl}/decisions cannot be reached: no answer within 200 ms`);
    await expect(MONITOR_TIMEOUT_MS).toBe(2000);
  });
});

describe('the operator view with the monitor', () => {
  const build = (decisions: MonitorDecisions) =>
    buildApiServer({
      tenants,
      tokens: new BearerTokens({}),
      operatorTokens: new BearerTokens({ ops: sha('token-ops') }),
      sourcePath: fs.mkdtempSync(path.join(os.tmpdir(), 'api-decisions-')),
      keyRing: (client) => new KeyRing(client, 'k1', new Map([['k1', crypto.randomBytes(32)]])),
      decisions,
      log: quiet,
    });
  const overview = async (decisions: MonitorDecisions) => {
    const api = await build(decisions);
    try {
      const res = await api.inject({ method: 'GET', url: '/operator/overview', headers: { authorization: 'Bearer token-ops' } });
      return { status: res.statusCode, decisions: res.json().decisions as unknown };
    } finally {
      await api.close();
    }
  };

  it("shows the monitor's decisions", async () => {
    await expect(overview(new MonitorDecisions(url, OPERATOR))).resolves.toEqual({ status: 200, decisions: { available: true, recent: [decision('client_a', 'a2'), decision('client_b', 'b1'), decision('client_a', 'a1')] } });
  });

  it('answers 200 without decisions, saying why, when the monitor is down or refuses', async () => {
    const started = Date.now();
    await expect(overview(new MonitorDecisions(deadUrl, OPERATOR))).resolves.toEqual({
      status: 200, decisions: { available: false, error: `the monitor at ${deadUrl}/decisions cannot be reached: ECONNREFUSED`, recent: [] },
    });
    await expect(Date.now() - started).toBeLessThan(1000);
    await expect(overview(new MonitorDecisions(url, 'wrong'))).resolves.toEqual({
      status: 200, decisions: { available: false, error: `the monitor at ${url}/decisions answered 401: invalid bearer token`, recent: [] },
    });
  });
});

describe('monitorDecisionsFrom', () => {
  const tokenFile = (content: string): string => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'monitor-token-')), 'token');
    fs.writeFileSync(file, content);
    return file;
  };

  it('needs neither setting, or both: a URL and a file with one token', async () => {
    await expect(monitorDecisionsFrom(undefined, undefined)).toBeUndefined();
    await expect(monitorDecisionsFrom('http://monitor:8081', tokenFile(`${OPERATOR}\n`))).toBeInstanceOf(MonitorDecisions);
  });

  it('refuses each wrong combination or value with a usage error naming it', async () => {
    const file = tokenFile(OPERATOR);
    const cases: [string | undefined, string | undefined, string][] = [
      [undefined, file, '--monitor-token-file (MONITOR_OPERATOR_TOKEN_FILE) is set but --monitor-url (MONITOR_URL) is not'],
      ['http://monitor:8081', undefined, "--monitor-url (MONITOR_URL) is set but --monitor-token-file (MONITOR_OPERATOR_TOKEN_FILE), the API's operator token at the monitor, is not"],
      ['monitor:8081', file, '--monitor-url (MONITOR_URL) must be an http or https URL, got "monitor:8081"'],
      ['not a url', file, '--monitor-url (MONITOR_URL) must be an http or https URL, got "not a url"'],
      ['http://monitor:8081', '/nonexistent/token', 'cannot read the monitor token file /nonexistent/token: ENOENT'],
      ['http://monitor:8081', tokenFile('\n'), 'must hold one token (no whitespace inside), got an empty file'],
      ['http://monitor:8081', tokenFile('a b'), 'must hold one token (no whitespace inside), got several words'],
    ];
    for (const [u, f, message] of cases) {
      const thrown = (() => {
        try {
          monitorDecisionsFrom(u, f);
          return undefined;
        } catch (err) {
          return err;
        }
      })();
      await expect(thrown).toBeInstanceOf(UsageError);
      await expect((thrown as Error).message).toContain(message);
    }
  });
});
