import type * as cassandra from 'cassandra-driver';
import { cassandraRoleName } from '../../../infra/credentials';
import { alterRolePasswordCql, createRoleCql, grantOnKeyspaceCql, quoteIdent, TENANT_KEYSPACE_PERMISSIONS } from '../../../infra/cql/ddl';
import type { Tenant } from '../../../infra/tenant/types';

/** What provisioning did to a tenant's Cassandra role. */
export interface RoleProvision {
  readonly client: string;
  readonly role: string;
  /** `kept`: the role existed; its password is set again all the same (a rotated one takes effect). */
  readonly action: 'created' | 'kept';
  /** `PERMISSION keyspace` granted by this run. */
  readonly granted: readonly string[];
  /** `PERMISSION <resource>` revoked by this run (a keyspace the tenant no longer has, or anything else). */
  readonly revoked: readonly string[];
}

/** `LIST … PERMISSIONS` names resources `<keyspace ks>`, `<table ks.t>`, `<all keyspaces>`…; the CQL that names the same. */
export function resourceCql(resource: string): string | undefined {
  const keyspace = /^<keyspace (.+)>$/.exec(resource);
  if (keyspace !== null) return `KEYSPACE ${quoteIdent(keyspace[1] as string)}`;
  const table = /^<table ([^.]+)\.(.+)>$/.exec(resource);
  if (table !== null) return `TABLE ${quoteIdent(table[1] as string)}.${quoteIdent(table[2] as string)}`;
  if (resource === '<all keyspaces>') return 'ALL KEYSPACES';
  return undefined;
}

/**
 * The login role `role` with `password`: created when missing, else its password set again (a
 * rotated one takes effect). Returns whether it existed, and the `PERMISSION <resource>` it holds
 * directly (as `LIST ALL PERMISSIONS … NORECURSIVE` names them).
 */
export async function ensureLoginRole(client: cassandra.Client, role: string, password: string): Promise<{ existed: boolean; held: string[] }> {
  const existed = (await client.execute('SELECT role FROM system_auth.roles WHERE role = ?', [role], { prepare: true })).rowLength > 0;
  await client.execute(existed ? alterRolePasswordCql(role, password) : createRoleCql(role, password));
  const held = ((await client.execute(`LIST ALL PERMISSIONS OF ${quoteIdent(role)} NORECURSIVE`)).rows ?? []).map((r) => `${String(r.get('permission'))} ${String(r.get('resource'))}`);
  return { existed, held };
}

/**
 * The tenant's login role with `password`, and exactly SELECT and MODIFY on each of its datasets'
 * keyspaces: missing grants are given, any other data permission of the role is revoked. Not a
 * superuser, no role or schema permissions. Idempotent; run as the platform's superuser role.
 */
export async function provisionTenantRole(client: cassandra.Client, tenant: Pick<Tenant, 'client' | 'datasets'>, password: string): Promise<RoleProvision> {
  const role = cassandraRoleName(tenant);
  const { existed: exists, held } = await ensureLoginRole(client, role, password);
  const keyspaces = [...new Set(tenant.datasets.map((d) => d.keyspace))];
  const wanted = new Set(keyspaces.flatMap((ks) => TENANT_KEYSPACE_PERMISSIONS.map((p) => `${p} <keyspace ${ks}>`)));
  const granted: string[] = [];
  for (const ks of keyspaces) {
    for (const permission of TENANT_KEYSPACE_PERMISSIONS) {
      if (held.includes(`${permission} <keyspace ${ks}>`)) continue;
      await client.execute(grantOnKeyspaceCql(permission, ks, role));
      granted.push(`${permission} ${ks}`);
    }
  }
  const revoked: string[] = [];
  for (const entry of held.filter((h) => !wanted.has(h))) {
    const [permission, ...rest] = entry.split(' ');
    const resource = resourceCql(rest.join(' '));
    // a tenant role is only ever granted data permissions; anything else was granted by hand, and stays
    if (resource === undefined) continue;
    await client.execute(`REVOKE ${permission as string} ON ${resource} FROM ${quoteIdent(role)}`);
    revoked.push(entry);
  }
  return { client: tenant.client, role, action: exists ? 'kept' : 'created', granted, revoked };
}
