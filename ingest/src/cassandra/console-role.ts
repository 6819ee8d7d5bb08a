import type * as cassandra from 'cassandra-driver';
import { quoteIdent } from '../../../infra/cql/ddl';
import type { Tenant } from '../../../infra/tenant/types';
import { LOG_TABLES } from './ingestion-log';
import { ensureLoginRole, resourceCql } from './tenant-role';

/** What provisioning did to the console's Cassandra role. */
export interface ConsoleRoleProvision {
  readonly role: string;
  /** `kept`: the role existed; its password is set again all the same. */
  readonly action: 'created' | 'kept';
  /** `SELECT keyspace.table` granted by this run. */
  readonly granted: readonly string[];
  /** `PERMISSION <resource>` revoked by this run. */
  readonly revoked: readonly string[];
}

/**
 * The console's login role (the upload API's) with `password`, and SELECT on exactly the two
 * ingestion-log tables of each keyspace of `tenants`: never a tenant's data table, never MODIFY.
 * Any other permission it holds on those keyspaces, and any on all keyspaces, is revoked; grants
 * on other keyspaces are left alone, since on a cluster each tenant's provision Job sees only its
 * own tenant. Idempotent; run as the platform's superuser role.
 */
export async function provisionConsoleRole(client: cassandra.Client, role: string, password: string, tenants: readonly Pick<Tenant, 'datasets'>[]): Promise<ConsoleRoleProvision> {
  const { existed, held } = await ensureLoginRole(client, role, password);
  const keyspaces = [...new Set(tenants.flatMap((t) => t.datasets.map((d) => d.keyspace)))];
  const tables = keyspaces.flatMap((ks) => Object.values(LOG_TABLES).map((table) => ({ ks, table })));
  const wanted = new Set(tables.map(({ ks, table }) => `SELECT <table ${ks}.${table}>`));
  const granted: string[] = [];
  for (const { ks, table } of tables) {
    if (held.includes(`SELECT <table ${ks}.${table}>`)) continue;
    await client.execute(`GRANT SELECT ON TABLE ${quoteIdent(ks)}.${quoteIdent(table)} TO ${quoteIdent(role)}`);
    granted.push(`SELECT ${ks}.${table}`);
  }
  const inScope = (resource: string): boolean =>
    resource === '<all keyspaces>' || keyspaces.some((ks) => resource === `<keyspace ${ks}>` || resource.startsWith(`<table ${ks}.`));
  const revoked: string[] = [];
  for (const entry of held.filter((h) => !wanted.has(h))) {
    const [permission, ...rest] = entry.split(' ');
    const resource = rest.join(' ');
    const cql = resourceCql(resource);
    if (cql === undefined || !inScope(resource)) continue;
    await client.execute(`REVOKE ${permission as string} ON ${cql} FROM ${quoteIdent(role)}`);
    revoked.push(entry);
  }
  return { role, action: existed ? 'kept' : 'created', granted, revoked };
}
