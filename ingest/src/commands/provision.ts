import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseFlags } from '../args';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { provisionTenants } from '../cassandra/provisioner';
import { UsageError } from '../../../infra/errors';
import { createKafka } from '../kafka/kafka-client';
import { declareTopics, withAdmin } from '../kafka/topics';
import { createLogger, errorFields } from '../log';
import { DEFAULTS, engineSettings, intSetting, setting } from '../settings';

/**
 * `mysimbdp provision [--tenants DIR] [--client ID] [--replication-factor N] [--no-topics]`: creates
 * the operations keyspace and each tenant dataset's keyspace and table, applies allowed schema
 * evolution, and declares each dataset's topics as its KafkaTopics would (not with `--no-topics` /
 * PROVISION_TOPICS=false: on a cluster Strimzi owns them). Exit 0 when every dataset matches its
 * contract, 1 when a change was refused.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, {
    tenants: { type: 'string' },
    client: { type: 'string' },
    'replication-factor': { type: 'string' },
    'no-topics': { type: 'boolean' },
  });
  const topicsSetting = setting(flags['no-topics'] === true ? 'false' : undefined, 'PROVISION_TOPICS', 'true');
  if (topicsSetting !== 'true' && topicsSetting !== 'false') throw new UsageError(`PROVISION_TOPICS must be true or false, got "${topicsSetting}"`);
  const dir = setting(flags.tenants, 'TENANTS_DIR', DEFAULTS.tenantsDir);
  const replicationFactor = intSetting(setting(flags['replication-factor'], 'CASSANDRA_REPLICATION_FACTOR', '1'), 'replication factor');
  const all = loadTenantsOrThrow(dir);
  const tenants = flags.client === undefined ? all : [findTenant(all, flags.client)];
  const settings = engineSettings();
  const log = createLogger({ command: 'provision' });
  const client = createCassandraClient(settings);
  try {
    await connectCassandra(client, settings);
    const report = await provisionTenants(client, tenants, { replicationFactor, dataCenter: settings.cassandraLocalDc });
    for (const d of report.datasets) {
      log.info('dataset provisioned', { tenant: d.client, dataset: d.dataset, table: d.table, action: d.action, statements: d.statements });
      process.stdout.write(`${d.client}/${d.dataset}: ${d.table} ${d.action}${d.statements.length > 0 && d.action === 'altered' ? ` (${d.statements.join('; ')})` : ''}\n`);
    }
    for (const f of report.failures) {
      log.error('dataset refused', { tenant: f.client, dataset: f.dataset, ...errorFields(f.error) });
      process.stderr.write(`${f.error.message}\n`);
    }
    if (topicsSetting === 'true') {
      await withAdmin(createKafka('mysimbdp-provision', settings), async (admin) => {
        for (const tenant of tenants) {
          for (const dataset of tenant.datasets) {
            for (const t of await declareTopics(admin, tenant, dataset)) {
              log.info('topic provisioned', { tenant: tenant.client, dataset: dataset.name, topic: t.topic, action: t.action, changes: t.changes });
              process.stdout.write(`${tenant.client}/${dataset.name}: topic ${t.topic} ${t.action}${t.changes.length > 0 ? ` (${t.changes.join('; ')})` : ''}\n`);
            }
          }
        }
      });
    }
    return report.failures.length === 0 ? 0 : 1;
  } finally {
    await client.shutdown();
  }
}
