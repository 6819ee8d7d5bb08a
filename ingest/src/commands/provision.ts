import * as path from 'node:path';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseCommand } from '../args';
import { credentialsDir } from '../engines/platform-credentials';
import { engineLayout } from '../engines/engine-layout';
import { createLogger, errorFields } from '../log';
import { provisionLogFields, provisionPlatform, type ProvisionEvent } from '../provision/provision-platform';
import { consoleRoleSetting, engineSettings, intSetting } from '../settings';

/** One line for the person at the terminal per step (never a password). */
export function describeProvision(e: ProvisionEvent): string {
  switch (e.kind) {
    case 'dataset':
      return `${e.client}/${e.dataset}: ${e.table} ${e.action}${e.statements.length > 0 && e.action === 'altered' ? ` (${e.statements.join('; ')})` : ''}`;
    case 'refused':
      return e.error.message;
    case 'credentials':
    case 'console-credentials':
      return `${e.kind === 'credentials' ? e.client : 'console'}: credentials ${e.created ? 'created in' : 'read from'} ${e.file}`;
    case 'role':
    case 'console-role': {
      const changes = [...e.granted.map((g) => `granted ${g}`), ...e.revoked.map((r) => `revoked ${r}`)];
      return `${e.kind === 'role' ? e.client : 'console'}: Cassandra role ${e.role} ${e.action === 'kept' ? 'kept, password set again' : 'created'}${changes.length > 0 ? ` (${changes.join('; ')})` : ''}`;
    }
    case 'topic':
      return `${e.client}/${e.dataset}: topic ${e.topic} ${e.action}${e.changes.length > 0 ? ` (${e.changes.join('; ')})` : ''}`;
    case 'kafka-user':
      return `${e.client}: Kafka user ${e.user} with ${e.acls} ACLs${e.aclsCreated + e.aclsDeleted > 0 ? ` (${e.aclsCreated} created, ${e.aclsDeleted} deleted)` : ''}`;
  }
}

/**
 * `mysimbdp provision` (flags: cli-commands.ts): as the platform, creates each tenant dataset's keyspace, table and ingestion log,
 * applies allowed schema evolution, and gives the tenant its Cassandra role (grants on its own
 * keyspaces only), with the credentials in `<credentials-dir>/<client>.json` (made when missing),
 * and the console's role (CASSANDRA_CONSOLE_ROLE) with SELECT on their ingestion logs only, its
 * login in `<credentials-dir>/<role>.json`;
 * unless `--no-kafka` / PROVISION_KAFKA=false (a cluster, where Strimzi owns them), also its topics
 * and its Kafka user with the KafkaUser's ACLs and quotas. Exit 0 when every dataset matches its
 * contract, 1 when a change was refused.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags, env } = parseCommand('provision', argv);
  const replicationFactor = intSetting(flags['replication-factor'], 'replication factor');
  const all = loadTenantsOrThrow(flags.tenants);
  const tenants = flags.client === undefined ? all : [findTenant(all, flags.client)];
  const log = createLogger({ command: 'provision' });
  const refused = await provisionPlatform({
    tenants,
    settings: engineSettings(),
    replicationFactor,
    credentialsDir: path.resolve(flags['credentials-dir'] ?? credentialsDir(engineLayout())),
    consoleRole: consoleRoleSetting(env.CASSANDRA_CONSOLE_ROLE),
    kafka: !flags['no-kafka'] && env.PROVISION_KAFKA === 'true',
    report: (e) => {
      if (e.kind === 'refused') {
        log.error('dataset refused', { tenant: e.client, dataset: e.dataset, ...errorFields(e.error) });
        process.stderr.write(`${describeProvision(e)}\n`);
        return;
      }
      log.info(`${e.kind} provisioned`, provisionLogFields(e));
      process.stdout.write(`${describeProvision(e)}\n`);
    },
  });
  return refused === 0 ? 0 : 1;
}
