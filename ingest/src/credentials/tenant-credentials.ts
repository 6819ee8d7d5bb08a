import * as path from 'node:path';
import { kafkaUserName } from '../../../infra/constructs/common/naming';
import { cassandraRoleName, credentialsFileName, parseCassandraCredentials, type CassandraCredentials, type EngineCredentials } from '../../../infra/credentials';
import { EngineError, InputError } from '../../../infra/errors';
import type { Tenant } from '../../../infra/tenant/types';
import type { EngineSettings } from '../settings';
import { newPassword, readCredentialsFile, writeCredentialsFile } from './credentials-file';

/**
 * The credentials in `file`, whose usernames must be `expected`; when there is none, `make()`
 * written there, 0600. On a cluster the folder is the platform's Secret, so the file is always there
 * and never written.
 */
function ensureCredentials<T extends EngineCredentials | CassandraCredentials>(
  file: string,
  read: () => T | undefined,
  expected: Partial<Record<'kafka' | 'cassandra', string>>,
  make: () => T,
  owner: { readonly what: string; readonly context: Record<string, string> },
): { credentials: T; file: string; created: boolean } {
  const existing = read();
  if (existing !== undefined) {
    for (const [engine, username] of Object.entries(expected) as ['kafka' | 'cassandra', string][]) {
      const actual = (existing as Partial<EngineCredentials>)[engine]?.username;
      if (actual !== username) throw new InputError(`${file}: $.${engine}.username must be "${username}" (${owner.what}), got "${actual}"`, { context: owner.context });
    }
    return { credentials: existing, file, created: false };
  }
  const credentials = make();
  try {
    writeCredentialsFile(file, credentials);
  } catch (err) {
    // e.g. a read-only Secret mount without this key: the platform has not made these credentials
    throw new EngineError(`cannot write the credentials of ${owner.what} to ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err, context: owner.context });
  }
  return { credentials, file, created: true };
}

/** The tenant's credentials from `<dir>/<client>.json`; when there is none, new ones (random passwords, the endpoints of `settings`). */
export function ensureTenantCredentials(dir: string, tenant: Tenant, settings: EngineSettings): { credentials: EngineCredentials; file: string; created: boolean } {
  const file = path.join(dir, credentialsFileName(tenant.client));
  return ensureCredentials(
    file,
    () => readCredentialsFile(file),
    { kafka: kafkaUserName(tenant), cassandra: cassandraRoleName(tenant) },
    () => ({
      kafka: { bootstrap: settings.kafkaBrokers.join(','), mechanism: 'scram-sha-512', username: kafkaUserName(tenant), password: newPassword() },
      cassandra: { contact_points: settings.cassandraContactPoints.join(','), local_dc: settings.cassandraLocalDc, username: cassandraRoleName(tenant), password: newPassword() },
    }),
    { what: `tenant ${tenant.client}`, context: { tenant: tenant.client } },
  );
}

/**
 * The console role's login from `<dir>/<role>.json` (`{ "cassandra": { … } }`); when there is none, a
 * new one (a random password, the endpoints of `settings`).
 */
export function ensureConsoleCredentials(dir: string, role: string, settings: EngineSettings): { credentials: CassandraCredentials; file: string; created: boolean } {
  const file = path.join(dir, credentialsFileName(role));
  return ensureCredentials(
    file,
    () => readCredentialsFile(file, parseCassandraCredentials),
    { cassandra: role },
    () => ({ cassandra: { contact_points: settings.cassandraContactPoints.join(','), local_dc: settings.cassandraLocalDc, username: role, password: newPassword() } }),
    { what: `the console role ${role}`, context: { role } },
  );
}
