import type * as cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { provisionDataset, provisionTenants, readLiveTable } from '../../../ingest/src/cassandra/provisioner';
import { InputError } from '../../../infra/errors';
import { seedDataset, tenantFrom, uniqueSuffix } from '../helpers/tenant-dirs';

const OPTIONS = { replicationFactor: 1, dataCenter: 'datacenter1' };

describe('provisioner', () => {
  const keyspace = `it_prov_${uniqueSuffix()}`;
  let client: cassandra.Client;

  beforeAll(async () => {
    client = createCassandraClient();
    await client.connect();
  });
  afterAll(async () => {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  });

  it('creates keyspace and table once, then finds nothing to do', async () => {
    const tenant = tenantFrom('client_a', seedDataset('client_a', keyspace));
    const first = await provisionTenants(client, [tenant], OPTIONS);
    expect(first.failures).toEqual([]);
    expect(first.datasets).toEqual([
      {
        client: 'client_a',
        dataset: 'speed-tracking-data',
        table: `${keyspace}.analytics`,
        action: 'created',
        statements: [
          `CREATE KEYSPACE IF NOT EXISTS "${keyspace}" WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1} AND durable_writes = true`,
          expect.stringContaining(`CREATE TABLE IF NOT EXISTS "${keyspace}"."analytics"`),
        ],
      },
    ]);
    const live = await readLiveTable(client, keyspace, 'analytics');
    expect(live?.partitionKey).toEqual(['PROVINCECODE']);
    expect(live?.clusteringKey).toEqual(['DEVICEID', 'ONUID']);
    expect(live?.columns).toContainEqual({ name: 'SPEEDIN', cqlType: 'double' });

    const second = await provisionTenants(client, [tenant], OPTIONS);
    expect(second.datasets.map((d) => [d.action, d.statements])).toEqual([['unchanged', []]]);
    // the tenant's ingestion log lives beside its table
    const tables = await client.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspace], { prepare: true });
    expect(tables.rows.map((r) => r.get('table_name')).sort()).toEqual(['analytics', 'mysimbdp_ingested_files', 'mysimbdp_ingestion_log']);
  });

  it('adds a new nullable field with ALTER TABLE ADD', async () => {
    const base = seedDataset('client_a', keyspace);
    const schema = base.schema as { fields: unknown[] };
    const evolved = { ...base, schema: { ...schema, fields: [...schema.fields, { name: 'vendorName', type: ['null', 'string'], default: null }] } };
    const tenant = tenantFrom('client_a', evolved);
    const result = await provisionDataset(client, tenant, tenant.datasets[0]!, OPTIONS);
    expect(result.action).toBe('altered');
    expect(result.statements).toEqual([`ALTER TABLE "${keyspace}"."analytics" ADD "vendorName" text`]);
    const live = await readLiveTable(client, keyspace, 'analytics');
    expect(live?.columns).toContainEqual({ name: 'vendorName', cqlType: 'text' });
    const again = await provisionDataset(client, tenant, tenant.datasets[0]!, OPTIONS);
    expect(again.action).toBe('unchanged');
  });

  it('refuses a type change naming tenant, table, column, old and new type, and changes nothing', async () => {
    const base = seedDataset('client_a', keyspace);
    const schema = base.schema as { fields: { name: string; type: unknown }[] };
    const fields = [
      ...schema.fields.map((f) => (f.name === 'FRAME' ? { ...f, type: 'string' } : f)),
      { name: 'vendorName', type: ['null', 'string'], default: null },
      { name: 'extra', type: ['null', 'int'], default: null },
    ];
    const tenant = tenantFrom('client_a', { ...base, schema: { ...schema, fields } });
    const failed = provisionDataset(client, tenant, tenant.datasets[0]!, OPTIONS);
    await expect(failed).rejects.toBeInstanceOf(InputError);
    await expect(failed).rejects.toThrow(`tenant client_a: table ${keyspace}.analytics: column "FRAME" type change from int to text is refused`);
    const live = await readLiveTable(client, keyspace, 'analytics');
    expect(live?.columns.map((c) => c.name)).not.toContain('extra');

    const report = await provisionTenants(client, [tenant], OPTIONS);
    expect(report.datasets).toEqual([]);
    expect(report.failures.map((f) => [f.client, f.dataset, f.error.message])).toEqual([
      ['client_a', 'speed-tracking-data', `tenant client_a: table ${keyspace}.analytics: column "FRAME" type change from int to text is refused`],
    ]);
  });
});
