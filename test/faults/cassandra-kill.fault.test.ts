import type * as cassandra from 'cassandra-driver';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant, loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import type { Dataset } from '../../infra/tenant/types';
import { createCassandraClient } from '../../ingest/src/cassandra/cassandra-client';
import { provisionDataset } from '../../ingest/src/cassandra/provisioner';
import { engineLayout, ensureEngines, killEngine } from '../../ingest/src/engines';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { produceRecords, speedRows } from '../ingest/helpers/produce-records';
import { startCli } from '../ingest/helpers/run-cli';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { ensureTopics } from '../ingest/helpers/topics';

// Cassandra SIGKILLed under a running sink, then restarted: nothing committed that is not in the
// table, nothing lost, nothing twice. The engines are this run's shared ones (restarted here).

const ROWS = 30_000;
const id = `fault_cass_${uniqueSuffix()}`;
let tenantsDir: string;
let dataset: Dataset;
let kafka: Kafka;
let admin: Admin;
let cass: cassandra.Client | undefined;

async function committed(): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId: `${id}.sink.${dataset.name}`, topics: [dataset.topics.main] });
  return (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
}

async function tableRows(): Promise<number> {
  cass ??= createCassandraClient();
  await cass.connect();
  const result = await cass.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}"`);
  return result.rows[0]!.get('count').toNumber();
}

beforeAll(async () => {
  tenantsDir = writeTenantDir(tempDir('fault-cass-tenants'), id, seedDataset('client_a', id));
  dataset = findTenant(loadTenantsOrThrow(tenantsDir), id).datasets[0]!;
  const setup = createCassandraClient();
  await setup.connect();
  await provisionDataset(setup, { client: id }, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  await setup.shutdown();
  kafka = createKafka(`fault-cass-${id}`);
  await ensureTopics(kafka, dataset);
  admin = kafka.admin();
  await admin.connect();
  await produceRecords(kafka, dataset, speedRows(ROWS), 'fault.csv');
});

afterAll(async () => {
  await ensureEngines({ cacheDir: engineLayout().cacheDir });
  const drop = createCassandraClient();
  await drop.connect();
  await drop.execute(`DROP KEYSPACE IF EXISTS "${dataset.keyspace}"`);
  await drop.shutdown();
  await cass?.shutdown();
  await admin.disconnect();
});

describe('Cassandra killed under a running sink', () => {
  it('commits only rows Cassandra holds after the crash, and the restarted sink completes the table exactly', async () => {
    // a slow sink (small fetches, few statements in flight) so that the kill lands mid-topic
    const sink = startCli(['sink', '--client', id, '--tenants', tenantsDir, '--fetch-bytes', '65536', '--concurrency', '4'], {});
    let down: number;
    try {
      for (let i = 0; i < 600 && (await committed()) < ROWS / 5; i++) await new Promise((r) => setTimeout(r, 100));
      const before = await committed();
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(ROWS);

      await killEngine('cassandra');
      // while Cassandra is down the sink retries and commits nothing more
      await new Promise((r) => setTimeout(r, 4000));
      down = await committed();
      await new Promise((r) => setTimeout(r, 4000));
      expect(await committed()).toBe(down);

      // the sink dies too (its pod is restarted), then Cassandra comes back
      sink.child.kill('SIGKILL');
      const first = await sink.done;
      expect(first.signal).toBe('SIGKILL');
      expect(first.logs.some((l) => l.msg === 'cassandra statement retry' || (l.msg === 'flush' && l.outcome === 'failed'))).toBe(true);
    } finally {
      sink.child.kill('SIGKILL');
    }
    await ensureEngines({ cacheDir: engineLayout().cacheDir });

    // every committed message is in the table: acknowledged writes survived the SIGKILL, and
    // the sink never committed past a write that had not been acknowledged (keys are distinct)
    const atRestart = await committed();
    expect(atRestart).toBe(down);
    expect(await tableRows()).toBeGreaterThanOrEqual(atRestart);

    const rest = await startCli(['sink', '--client', id, '--tenants', tenantsDir, '--until-idle'], {}).done;
    expect(rest.code).toBe(0);
    expect(await committed()).toBe(ROWS);
    expect(await tableRows()).toBe(ROWS);
  });
});
