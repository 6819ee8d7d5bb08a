import * as path from 'node:path';
import { kafkaUserName } from '../../../infra/constructs/common/naming';
import { cassandraRoleName, credentialsFileName, type EngineCredentials } from '../../../infra/credentials';
import { EngineError, InputError } from '../../../infra/errors';
import type { Tenant } from '../../../infra/tenant/types';
import type { EngineSettings } from '../settings';
import { newPassword, readCredentialsFile, writeCredentialsFile } from './credentials-file';

/**
 * The tenant's credentials from `<dir>/<client>.json`; when there is none, new ones (random
 * passwords, the endpoints of `settings`) written there, 0600. On a cluster the folder is the
 * platform's Secret, so the file is always there and never written.
 */
export function ensureTenantCredentials(dir: string, tenant: Tenant, settings: EngineSettings): { credentials: EngineCredentials; file: string; created: boolean } {
  const file = path.join(dir, credentialsFileName(tenant.client));
  const existing = readCredentialsFile(file);
  if (existing !== undefined) {
    const expected = { kafka: kafkaUserName(tenant), cassandra: cassandraRoleName(tenant) };
    for (const engine of ['kafka', 'cassandra'] as const) {
      if (existing[engine].username !== expected[engine]) {
        throw new InputError(`${file}: $.${engine}.username must be "${expected[engine]}" (tenant ${tenant.client}), got "${existing[engine].username}"`, { context: { tenant: tenant.client } });
      }
    }
    return { credentials: existing, file, created: false };
  }
  const credentials: EngineCredentials = {
    kafka: { bootstrap: settings.kafkaBrokers.join(','), mechanism: 'scram-sha-512', username: kafkaUserName(tenant), password: newPassword() },
    cassandra: { contact_points: settings.cassandraContactPoints.join(','), local_dc: settings.cassandraLocalDc, username: cassandraRoleName(tenant), password: newPassword() },
  };
  try {
    writeCredentialsFile(file, credentials);
  } catch (err) {
    // e.g. a read-only Secret mount without this tenant's key: the platform has not made its credentials
    throw new EngineError(`cannot write the credentials of tenant ${tenant.client} to ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err, context: { tenant: tenant.client } });
  }
  return { credentials, file, created: true };
}
