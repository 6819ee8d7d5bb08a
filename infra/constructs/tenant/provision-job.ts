import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { InputError } from '../../errors';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { TENANTS_MOUNT, tenantNamespace } from '../common/naming';
import { runtimePodSpec } from './runtime-pod';

export interface ProvisionJobProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
  /** Retries of the provisioning pod (Cassandra may still be starting). @default 6 */
  readonly backoffLimit?: number;
}

/** Hash of what provisioning creates (keyspaces, tables, keys, schemas); changes re-run the Job. */
export function provisionInputsHash(tenant: Tenant): string {
  const inputs = tenant.datasets.map((d) => ({ keyspace: d.keyspace, table: d.table, partitionKey: d.partitionKey, clusteringKey: d.clusteringKey, fields: d.fields }));
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
}

/**
 * Job `<dns-client>-provision` running `provision --tenants /etc/mysimbdp/tenants` (keyspace + table
 * from the Avro schema, idempotent) with the tenant's files mounted. The pod template carries a hash
 * of the provisioning inputs: a schema change changes the template, so the Job is replaced and runs
 * again (a Job's template is immutable).
 */
export class ProvisionJob extends Construct {
  constructor(scope: Construct, id: string, props: ProvisionJobProps) {
    super(scope, id);
    const { tenant, settings } = props;
    const backoffLimit = props.backoffLimit ?? 6;
    if (!Number.isInteger(backoffLimit) || backoffLimit < 0) throw new InputError(`ProvisionJob: backoffLimit must be an integer >= 0, got ${backoffLimit}`);
    const labels = tenantLabels(tenant, 'provision');
    new k8s.KubeJob(this, 'job', {
      metadata: { name: `${tenant.dnsName}-provision`, namespace: tenantNamespace(settings, tenant), labels },
      spec: {
        backoffLimit,
        template: {
          metadata: { labels, annotations: { 'mysimbdp.io/provision-inputs': provisionInputsHash(tenant) } },
          spec: runtimePodSpec({
            tenant,
            settings,
            name: 'provision',
            args: ['provision', '--tenants', TENANTS_MOUNT],
            resources: tenant.agreement.resources,
            staging: false,
            restartPolicy: 'Never',
            extraEnv: [
              { name: 'CASSANDRA_REPLICATION_FACTOR', value: String(Math.min(3, settings.replicas.cassandraNodes)) },
              // Strimzi's topic operator owns the topics here (the DatasetTopics KafkaTopics)
              { name: 'PROVISION_TOPICS', value: 'false' },
            ],
          }),
        },
      },
    });
  }
}
