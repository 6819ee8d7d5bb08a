import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import type { Dataset } from '../../../infra/tenant/types';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { provisionDataset } from '../../../ingest/src/cassandra/provisioner';
import { createKafka } from '../../../ingest/src/kafka/kafka-client';
import { ensureTopics } from '../helpers/topics';
import { stagingLayout } from '../../../ingest/src/staging/staging-layout';
import { runCli } from '../helpers/run-cli';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';

// `mysimbdp stream` as a process, configured only by environment (as its Deployment is), stopped by SIGTERM.
const CLI = path.join(__dirname, '../../../ingest/bin/mysimbdp.cjs');
const id = `it_streamcmd_${uniqueSuffix()}`;
let tenantsDir: string;
let dataset: Dataset;
let cass: cassandra.Client;

beforeAll(async () => {
  tenantsDir = writeTenantDir(tempDir('streamcmd-tenants'), id, seedDataset('client_a', id));
  dataset = findTenant(loadTenantsOrThrow(tenantsDir), id).datasets[0]!;
  cass = createCassandraClient();
  await cass.connect();
  await provisionDataset(cass, { client: id }, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  await ensureTopics(createKafka(`it-streamcmd-${id}`), dataset);
});
afterAll(async () => {
  await cass.execute(`DROP KEYSPACE IF EXISTS "${dataset.keyspace}"`);
  await cass.shutdown();
});

describe('mysimbdp stream', () => {
  it('archives a file dropped into in/ and exits 0 on SIGTERM', async () => {
    const source = tempDir('streamcmd-staging');
    const layout = stagingLayout(source, id, dataset);
    const child = spawn(process.execPath, [CLI, 'stream'], {
      env: { ...process.env, CLIENT_ID: id, SOURCE_PATH: source, TENANTS_DIR: tenantsDir, METRICS_PORT: '0', STREAM_RESCAN_SECONDS: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!stderr.includes('"msg":"stream started"')) {
        if (Date.now() > deadline) throw new Error(`stream did not start:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      fs.writeFileSync(path.join(layout.inbox, 'cmd.csv'), 'PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT\nP1,D1,1,1,1,1,1,1,t,1.5,2.5\nP1,D2,1,1,1,1,1,1,t,1.5,2.5\n');
      while (!fs.existsSync(path.join(layout.archive, 'cmd.csv'))) {
        if (Date.now() > deadline) throw new Error(`file not archived:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(stderr).toContain('"file":"cmd.csv","bytes":');
      expect(stderr).toContain('"rows_ok":2,"rows_rejected":0');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('"msg":"stream stopped"');
  });
});

describe('mysimbdp stream settings', () => {
  it('refuses MONITOR_URL without the tenant\'s MONITOR_TOKEN, with exit 2 and before reaching any engine', async () => {
    const result = await runCli(['stream'], { CLIENT_ID: id, TENANTS_DIR: tenantsDir, MONITOR_URL: 'http://127.0.0.1:1/reports', MONITOR_TOKEN: '' });
    await expect(result.code).toBe(2);
    await expect(result.stderr).toBe("mysimbdp stream: MONITOR_URL is set but MONITOR_TOKEN (the tenant's report token) is not\nrun \"mysimbdp stream --help\"\n");
  });
});
