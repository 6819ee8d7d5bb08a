import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alterRolePasswordCql, createKeyspaceCql, createRoleCql, createTableCql, grantOnKeyspaceCql, primaryKeyCql, quoteIdent, quoteString } from '../../../infra/cql/ddl';
import { findDataset, findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';

const tenants = loadTenantsOrThrow(path.join(__dirname, '..', '..', '..', 'tenants'));

describe('ddl', () => {
  it('quotes identifiers, keeping case and escaping quotes', async () => {
    await expect(Promise.resolve([quoteIdent('sensorId'), quoteIdent('a"b')])).resolves.toEqual(['"sensorId"', '"a""b"']);
  });

  it('writes string literals and role statements, quotes doubled', async () => {
    await expect(quoteString("it's")).toBe("'it''s'");
    await expect(createRoleCql('client_a', "p'w")).toBe(`CREATE ROLE IF NOT EXISTS "client_a" WITH PASSWORD = 'p''w' AND LOGIN = true AND SUPERUSER = false`);
    await expect(createRoleCql('mysimbdp', 'pw', true)).toBe(`CREATE ROLE IF NOT EXISTS "mysimbdp" WITH PASSWORD = 'pw' AND LOGIN = true AND SUPERUSER = true`);
    await expect(alterRolePasswordCql('client_a', 'pw')).toBe(`ALTER ROLE "client_a" WITH PASSWORD = 'pw'`);
    await expect(grantOnKeyspaceCql('MODIFY', 'ks', 'client_a')).toBe('GRANT MODIFY ON KEYSPACE "ks" TO "client_a"');
  });

  it('creates a keyspace with NetworkTopologyStrategy in the data center', async () => {
    await expect(Promise.resolve(createKeyspaceCql('product_insights', 3, 'dc1'))).resolves.toBe(
      `CREATE KEYSPACE IF NOT EXISTS "product_insights" WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3} AND durable_writes = true`,
    );
  });

  it('refuses a replication factor below one', async () => {
    await expect(Promise.resolve().then(() => createKeyspaceCql('k', 0))).rejects.toThrow('replicationFactor must be a positive integer, got 0');
  });

  it("creates client_a's table with quoted columns and its primary key", async () => {
    await expect(Promise.resolve(createTableCql(findDataset(findTenant(tenants, 'client_a'))))).resolves.toBe(`CREATE TABLE IF NOT EXISTS "mysimbdp_coredms"."analytics" (
  "PROVINCECODE" text,
  "DEVICEID" text,
  "IFINDEX" int,
  "FRAME" int,
  "SLOT" int,
  "PORT" int,
  "ONUINDEX" int,
  "ONUID" int,
  "TIME" text,
  "SPEEDIN" double,
  "SPEEDOUT" double,
  PRIMARY KEY ("PROVINCECODE", "DEVICEID", "ONUID")
)`);
  });

  it('writes a composite partition key in its own parentheses', async () => {
    await expect(Promise.resolve(primaryKeyCql({ partitionKey: ['a', 'b'], clusteringKey: ['c'] }))).resolves.toBe('PRIMARY KEY (("a", "b"), "c")');
    await expect(Promise.resolve(primaryKeyCql({ partitionKey: ['a'], clusteringKey: [] }))).resolves.toBe('PRIMARY KEY ("a")');
  });
});
