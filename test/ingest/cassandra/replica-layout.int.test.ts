import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyspaceCql } from '../../../infra/cql/ddl';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { everyNodeReplicatesAll } from '../../../ingest/src/cassandra/replica-layout';
import { uniqueSuffix } from '../helpers/tenant-dirs';

// Against the real node: the driver's metadata, not our reading of it, decides.
describe('everyNodeReplicatesAll on the local node', () => {
  const keyspace = `it_replicas_${uniqueSuffix()}`;
  const client = createCassandraClient();

  beforeAll(async () => {
    await client.connect();
    await client.execute(createKeyspaceCql(keyspace, 1));
    await client.metadata.refreshKeyspace(keyspace);
  });
  afterAll(async () => {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  });

  it('is true for a keyspace of the one node, false in a data center it does not have', async () => {
    await expect(everyNodeReplicatesAll(client, keyspace, 'datacenter1')).toBe(true);
    await expect(everyNodeReplicatesAll(client, keyspace, 'dc-elsewhere')).toBe(false);
  });
});
