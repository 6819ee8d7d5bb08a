import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { credentialsFileName } from '../../credentials';
import { InputError } from '../../errors';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import {
  CASSANDRA_CONSOLE_ROLE,
  CASSANDRA_CONSOLE_SECRET,
  CASSANDRA_PLATFORM_SECRET,
  CREDENTIALS_MOUNT,
  credentialsSecretName,
  platformEndpoints,
  platformNamespace,
  provisionJobName,
  TENANTS_MOUNT,
} from '../common/naming';
import { securePodSpec } from '../common/secure-pod';
import { tenantFilesVolume } from '../platform/tenant-files-volume';
import { secretEnv } from './runtime-pod';

export interface ProvisionJobProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
  /** Retries of the provisioning pod (Cassandra may still be starting). @default 6 */
  readonly backoffLimit?: number;
}

/** Pod template annotation carrying provisionInputsHash. */
const PROVISION_INPUTS_ANNOTATION = 'mysimbdp.io/provision-inputs';
/** Pod template annotation the Pulumi program sets to a digest of the tenant's and the console role's credentials, so a new password re-runs the Job. */
export const CREDENTIALS_DIGEST_ANNOTATION = 'mysimbdp.io/credentials';

/** Hash of what provisioning creates (keyspaces, tables, keys, schemas); changes re-run the Job. */
export function provisionInputsHash(tenant: Tenant): string {
  const inputs = tenant.datasets.map((d) => ({ keyspace: d.keyspace, table: d.table, partitionKey: d.partitionKey, clusteringKey: d.clusteringKey, fields: d.fields }));
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
}

/**
 * Job `<dns-client>-provision` in the platform namespace, logged in to Cassandra as the platform's
 * role: `provision` creates the tenant's keyspaces and tables (from the Avro schema, idempotent) and
 * the tenant's own role with grants on those keyspaces only, reading the role's password from the
 * tenant's credentials Secret; and the console's role (the upload API's login) with SELECT on this
 * tenant's ingestion-log tables, its password from `mysimbdp-cassandra-console`, whose credentials
 * file is projected into the same folder. It runs there, not in the tenant namespace, so that no tenant
 * namespace ever holds the superuser's password. `--no-kafka`: Strimzi owns topics and users here.
 * It mounts the tenant's files from their platform-namespace ConfigMap copy, and runs as the
 * namespace's `default` account without a token, like the upload API. The pod template carries a
 * hash of the provisioning inputs: a schema change changes the template, so the Job is replaced and
 * runs again (a Job's template is immutable).
 */
export class ProvisionJob extends Construct {
  constructor(scope: Construct, id: string, props: ProvisionJobProps) {
    super(scope, id);
    const { tenant, settings } = props;
    const backoffLimit = props.backoffLimit ?? 6;
    if (!Number.isInteger(backoffLimit) || backoffLimit < 0) throw new InputError(`ProvisionJob: backoffLimit must be an integer >= 0, got ${backoffLimit}`);
    const labels = tenantLabels(tenant, 'provision');
    const endpoints = platformEndpoints(settings);
    const credentialsFile = credentialsFileName(tenant.client);
    const consoleFile = credentialsFileName(CASSANDRA_CONSOLE_ROLE);
    new k8s.KubeJob(this, 'job', {
      metadata: { name: provisionJobName(tenant), namespace: platformNamespace(settings), labels },
      spec: {
        backoffLimit,
        template: {
          metadata: { labels, annotations: { [PROVISION_INPUTS_ANNOTATION]: provisionInputsHash(tenant) } },
          spec: securePodSpec({
            settings,
            restartPolicy: 'Never',
            volumes: [
              tenantFilesVolume('tenant', [tenant]),
              {
                name: 'credentials',
                projected: {
                  defaultMode: 0o440,
                  sources: [
                    { secret: { name: credentialsSecretName(tenant), items: [{ key: credentialsFile, path: credentialsFile }], optional: false } },
                    { secret: { name: CASSANDRA_CONSOLE_SECRET, items: [{ key: consoleFile, path: consoleFile }], optional: false } },
                  ],
                },
              },
            ],
            containers: [
              {
                name: 'provision',
                args: ['provision', '--tenants', TENANTS_MOUNT, '--credentials-dir', CREDENTIALS_MOUNT, '--no-kafka'],
                resources: tenant.agreement.resources,
                env: [
                  { name: 'CASSANDRA_CONTACT_POINTS', value: endpoints.cassandraContactPoints },
                  { name: 'CASSANDRA_LOCAL_DC', value: settings.cassandraDatacenter },
                  secretEnv('CASSANDRA_USERNAME', CASSANDRA_PLATFORM_SECRET, 'username'),
                  secretEnv('CASSANDRA_PASSWORD', CASSANDRA_PLATFORM_SECRET, 'password'),
                  { name: 'CASSANDRA_REPLICATION_FACTOR', value: String(Math.min(3, settings.replicas.cassandraNodes)) },
                ],
                volumeMounts: [
                  { name: 'tenant', mountPath: TENANTS_MOUNT, readOnly: true },
                  { name: 'credentials', mountPath: CREDENTIALS_MOUNT, readOnly: true },
                ],
              },
            ],
          }),
        },
      },
    });
  }
}
