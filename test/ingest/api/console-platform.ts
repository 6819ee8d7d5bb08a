// The console against a real platform slice, shared by console.int.test.ts and the screenshot
// script (console-screenshots.ts): two tenants provisioned on the local engines, the upload API
// in-process on a free loopback port with the real ingestion log and the monitor's decisions over
// HTTP from a monitor in-process, `mysimbdp batch` as the CronJob runs it, and Debian's chromium
// driven by playwright-core.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type * as cassandra from 'cassandra-driver';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import { chromium, type Browser } from 'playwright-core';
import { loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import type { Tenant } from '../../../infra/tenant/types';
import { buildApiServer } from '../../../ingest/src/api/api-server';
import { BearerTokens } from '../../../ingest/src/api/bearer-tokens';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { IngestionLog } from '../../../ingest/src/cassandra/ingestion-log';
import { provisionDataset } from '../../../ingest/src/cassandra/provisioner';
import { KeyRing } from '../../../ingest/src/crypto/key-ring';
import { createKafka } from '../../../ingest/src/kafka/kafka-client';
import { createLogger } from '../../../ingest/src/log';
import { MonitorDecisions } from '../../../ingest/src/api/monitor-decisions';
import { DecisionLog } from '../../../ingest/src/manager/decision-log';
import { DryRunScaleTarget } from '../../../ingest/src/manager/dry-run-scale-target';
import { StreamManager } from '../../../ingest/src/manager/stream-manager';
import { buildMonitorServer } from '../../../ingest/src/monitor/monitor-server';
import { ensureTopics } from '../helpers/topics';
import { runCli, type CliResult } from '../helpers/run-cli';
import { agreementJson, seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';

/** Where Debian's chromium package puts the browser; CHROMIUM_PATH overrides. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.CHROMIUM_PATH !== undefined && env.CHROMIUM_PATH !== '' ? [env.CHROMIUM_PATH] : CHROMIUM_CANDIDATES;
  const found = candidates.find((p) => fs.existsSync(p));
  if (found === undefined) throw new Error(`no chromium at ${candidates.join(' or ')}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  return found;
}

/** Headless chromium; without the sandbox when running as root, which chromium refuses otherwise. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}

/** The client_a seed header, two good rows with one duplicate key, and two rows the schema rejects. */
export const CSV_WITH_BAD_ROWS = [
  'PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT',
  'HN,dev-1,1,1,1,1,1,1,2024-05-01 10:00:00,10.5,3.25',
  'HN,dev-2,1,1,1,1,1,2,2024-05-01 10:00:00,11.5,4.25',
  'HN,dev-2,1,1,1,1,1,2,2024-05-01 10:05:00,12.5,4.75',
  'HN,dev-3,1,1,1,1,1,3,2024-05-01 10:00:00,fast,1.0',
  'HN,dev-4,one,1,1,1,1,4,2024-05-01 10:00:00,1.0,1.0',
  '',
].join('\n');

export interface ConsolePlatform {
  readonly url: string;
  readonly tenantA: Tenant;
  readonly tenantB: Tenant;
  readonly tokens: { readonly a: string; readonly b: string; readonly operator: string };
  readonly sourcePath: string;
  /** `mysimbdp batch` for a tenant, as its CronJob runs it. */
  batch(client: string): Promise<CliResult>;
  close(): Promise<void>;
}

const digest = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export async function startConsolePlatform(): Promise<ConsolePlatform> {
  const suffix = uniqueSuffix();
  const [a, b] = [`console_a_${suffix}`, `console_b_${suffix}`];
  const tenantsDir = tempDir('console-tenants');
  const sourcePath = tempDir('console-staging');
  writeTenantDir(tenantsDir, a, seedDataset('client_a', `it_console_a_${suffix}`), agreementJson(a));
  writeTenantDir(tenantsDir, b, seedDataset('client_b', `it_console_b_${suffix}`), agreementJson(b));
  const tenants = loadTenantsOrThrow(tenantsDir);
  const tenantA = tenants.find((t) => t.client === a)!;
  const tenantB = tenants.find((t) => t.client === b)!;
  const cass: cassandra.Client = createCassandraClient();
  await cass.connect();
  const kafka: Kafka = createKafka(`console-int-${suffix}`);
  for (const tenant of tenants) {
    await provisionDataset(cass, tenant, tenant.datasets[0]!, { replicationFactor: 1, dataCenter: 'datacenter1' });
    await ensureTopics(kafka, tenant.datasets[0]!);
  }
  const tokens = { a: `token-a-${suffix}`, b: `token-b-${suffix}`, operator: `token-operator-${suffix}` };
  const quiet = createLogger({}, { write: () => undefined });
  // The monitor, with one decision in its log, for the operator view; the API asks it with the operator token.
  const manager = new StreamManager(new DryRunScaleTarget(), new DecisionLog(), quiet);
  await manager.log.append({ tenant: a, dataset: tenantA.datasets[0]!.name, action: 'scale_up', from: 1, to: 2, reason: 'rows/s 950 over 800 for 60 s', time: new Date().toISOString(), outcome: 'applied' });
  const operatorTokens = new BearerTokens({ operator: digest(tokens.operator) });
  const monitor: FastifyInstance = await buildMonitorServer({ tenants, manager, tokens: new BearerTokens({}), operatorTokens, log: quiet });
  const monitorUrl = await monitor.listen({ port: 0, host: '127.0.0.1' });
  const app: FastifyInstance = await buildApiServer({
    tenants,
    tokens: new BearerTokens({ [a]: digest(tokens.a), [b]: digest(tokens.b) }),
    operatorTokens,
    sourcePath,
    keyRing: (client) => new KeyRing(client, 'k1', new Map([['k1', crypto.randomBytes(32)]])),
    ingestionLog: new IngestionLog(cass, tenants),
    decisions: new MonitorDecisions(monitorUrl, tokens.operator),
    log: quiet,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    tenantA,
    tenantB,
    tokens,
    sourcePath,
    batch: (client) => runCli(['batch'], { CLIENT_ID: client, SOURCE_PATH: sourcePath, TENANTS_DIR: tenantsDir, DATASET: '' }),
    close: async () => {
      await app.close();
      await monitor.close();
      for (const tenant of tenants) await cass.execute(`DROP KEYSPACE IF EXISTS "${tenant.datasets[0]!.keyspace}"`).catch(() => undefined);
      await cass.shutdown();
    },
  };
}
