import { tenantKafkaAccess } from '../../../infra/constructs/common/kafka-access';
import { CASSANDRA_CONSOLE_ROLE } from '../../../infra/constructs/common/naming';
import type { EngineCredentials } from '../../../infra/credentials';
import { EngineError, type InputError } from '../../../infra/errors';
import type { Tenant } from '../../../infra/tenant/types';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { provisionConsoleRole, type ConsoleRoleProvision } from '../cassandra/console-role';
import { provisionTenants, type DatasetProvision } from '../cassandra/provisioner';
import { provisionTenantRole, type RoleProvision } from '../cassandra/tenant-role';
import { ensureConsoleCredentials, ensureTenantCredentials } from '../credentials/tenant-credentials';
import { applyKafkaUsers, type KafkaUserOutcome } from '../engines/kafka-users';
import { createKafka } from '../kafka/kafka-client';
import { declareTopics, withAdmin, type TopicChange } from '../kafka/topics';
import type { EngineSettings } from '../settings';

export interface ProvisionPlatformOptions {
  readonly tenants: readonly Tenant[];
  /** Endpoints and the platform's own login (a Cassandra superuser; on Kafka a super user). */
  readonly settings: EngineSettings;
  /** Replication factor of keyspaces this run creates. */
  readonly replicationFactor: number;
  /** Where each tenant's credentials file, and the console role's (`<role>.json`), is read, or made when missing. */
  readonly credentialsDir: string;
  /** The console's Cassandra role (tests give their own, to leave the shared one alone). @default CASSANDRA_CONSOLE_ROLE */
  readonly consoleRole?: string;
  /** Declare topics and make Kafka users (the local engines); off on a cluster, where Strimzi owns both. */
  readonly kafka: boolean;
  /** Each step's outcome as it happens. */
  readonly report: (event: ProvisionEvent) => void;
}

export type ProvisionEvent =
  | ({ readonly kind: 'dataset' } & DatasetProvision)
  | { readonly kind: 'refused'; readonly client: string; readonly dataset: string; readonly error: InputError }
  | { readonly kind: 'credentials'; readonly client: string; readonly file: string; readonly created: boolean }
  | ({ readonly kind: 'role' } & RoleProvision)
  | { readonly kind: 'console-credentials'; readonly file: string; readonly created: boolean }
  | ({ readonly kind: 'console-role' } & ConsoleRoleProvision)
  | ({ readonly kind: 'topic'; readonly client: string; readonly dataset: string } & TopicChange)
  | ({ readonly kind: 'kafka-user'; readonly client: string } & KafkaUserOutcome);

/** An event as log fields: its client (when it has one) as `tenant`, without `kind`. */
export function provisionLogFields(e: ProvisionEvent): Record<string, unknown> {
  const { kind: _kind, ...fields } = e;
  if (!('client' in fields)) return fields;
  const { client, ...rest } = fields;
  return { tenant: client, ...rest };
}

/**
 * Everything a tenant needs before its workloads run, idempotent: keyspaces, tables and the
 * ingestion log; the tenant's credentials; its Cassandra role with grants on its own keyspaces only;
 * the console's role (the upload API's login) with SELECT on the tenants' ingestion logs only;
 * with `kafka`, its topics and its SCRAM user with the KafkaUser's ACLs and quotas. Returns the
 * number of refused dataset changes (the rest is still provisioned).
 */
export async function provisionPlatform(options: ProvisionPlatformOptions): Promise<number> {
  const { tenants, settings, report } = options;
  const credentials = new Map<string, EngineCredentials>();
  for (const tenant of tenants) {
    const { credentials: c, file, created } = ensureTenantCredentials(options.credentialsDir, tenant, settings);
    credentials.set(tenant.client, c);
    report({ kind: 'credentials', client: tenant.client, file, created });
  }
  const password = (tenant: Tenant, engine: 'kafka' | 'cassandra'): string => (credentials.get(tenant.client) as EngineCredentials)[engine].password;
  const consoleRole = options.consoleRole ?? CASSANDRA_CONSOLE_ROLE;
  const { credentials: consoleLogin, file: consoleFile, created: consoleCreated } = ensureConsoleCredentials(options.credentialsDir, consoleRole, settings);
  report({ kind: 'console-credentials', file: consoleFile, created: consoleCreated });

  const cassandra = createCassandraClient(settings);
  let refused = 0;
  try {
    await connectCassandra(cassandra, settings);
    const result = await provisionTenants(cassandra, tenants, { replicationFactor: options.replicationFactor, dataCenter: settings.cassandraLocalDc });
    for (const d of result.datasets) report({ kind: 'dataset', ...d });
    for (const f of result.failures) report({ kind: 'refused', ...f });
    refused = result.failures.length;
    for (const tenant of tenants) report({ kind: 'role', ...(await provisionTenantRole(cassandra, tenant, password(tenant, 'cassandra'))) });
    report({ kind: 'console-role', ...(await provisionConsoleRole(cassandra, consoleRole, consoleLogin.cassandra.password, tenants)) });
  } finally {
    await cassandra.shutdown().catch(() => undefined);
  }
  if (!options.kafka) return refused;

  await withAdmin(createKafka('mysimbdp-provision', settings), async (admin) => {
    for (const tenant of tenants) {
      for (const dataset of tenant.datasets) {
        for (const t of await declareTopics(admin, tenant, dataset)) report({ kind: 'topic', client: tenant.client, dataset: dataset.name, ...t });
      }
    }
  });
  const { kafkaSasl } = settings;
  if (kafkaSasl === undefined) throw new EngineError('Kafka users need the platform\'s Kafka login: set KAFKA_USERNAME and KAFKA_PASSWORD (or CREDENTIALS_FILE)');
  const platform = { kafka: { bootstrap: settings.kafkaBrokers.join(','), mechanism: kafkaSasl.mechanism, username: kafkaSasl.username, password: kafkaSasl.password } };
  const users = tenants.map((tenant) => ({ access: tenantKafkaAccess(tenant), password: password(tenant, 'kafka') }));
  const outcomes = await applyKafkaUsers(users, platform);
  tenants.forEach((tenant, i) => {
    const outcome = outcomes[i];
    if (outcome !== undefined) report({ kind: 'kafka-user', client: tenant.client, ...outcome });
  });
  return refused;
}
