import {
  API_TOKENS_SECRET,
  CASSANDRA_CONSOLE_ROLE,
  CASSANDRA_CONSOLE_SECRET,
  CASSANDRA_PLATFORM_ROLE,
  CASSANDRA_PLATFORM_SECRET,
  credentialsSecretName,
  encryptionKeysSecretName,
  kafkaPasswordSecretName,
  kafkaUserName,
  MONITOR_OPERATOR_SECRET,
  MONITOR_TOKENS_SECRET,
  platformNamespace,
  provisionJobName,
  tenantConfigMapName,
} from '../constructs/common/naming';
import { cassandraRoleName } from '../credentials';
import { InputError } from '../errors';
import type { StackSettings } from '../stack/stack-settings';
import type { Tenant } from '../tenant/types';
import { isDnsLabel } from '../tenant/rules/dns-name';

/** Cassandra roles no tenant may be: the platform's superuser, the console's and Cassandra's built-in one. */
const RESERVED_CASSANDRA_ROLES: readonly string[] = [CASSANDRA_PLATFORM_ROLE, CASSANDRA_CONSOLE_ROLE, 'cassandra'];

/**
 * Kind and name of what a tenant has in the platform namespace, where all tenants share one name
 * space: its Secrets (Kafka password, credentials file, encryption keys, and the Secret Strimzi's
 * user operator writes under the KafkaUser's name), its files' ConfigMap and its provision Job.
 */
function platformNamespaceObjects(tenant: Tenant): (readonly [kind: string, name: string])[] {
  return [
    ['Secret', kafkaUserName(tenant)],
    ['Secret', kafkaPasswordSecretName(tenant)],
    ['Secret', credentialsSecretName(tenant)],
    ...(tenant.agreement.encryption ? [['Secret', encryptionKeysSecretName(tenant)] as const] : []),
    ['ConfigMap', tenantConfigMapName(tenant)],
    ['Job', provisionJobName(tenant)],
  ];
}

/**
 * Refuses tenant sets whose names would collide in Kubernetes, Kafka or Cassandra:
 * - two clients with one DNS name (`client_a` and `client-a`) would share a namespace and KafkaUser;
 * - a client whose namespace equals the platform's (`platform`);
 * - two tenants, or a tenant and the platform, naming one object in the platform namespace
 *   (`client_a`'s Secret `client-a-credentials` and the KafkaUser Secret of `client_a_credentials`);
 * - a client whose Cassandra role is the platform's superuser, the console's (whose credentials file
 *   `<role>.json` shares a folder with the tenants' `<client>.json`), or Cassandra's built-in `cassandra`;
 * - a `.` in a client id would let the ACL prefix `<client>.` of one tenant reach another's topics;
 * - Kafka topic names equal once `.` is read as `_` collide in Kafka's metric names.
 */
export function assertDistinctTenantNames(tenants: readonly Tenant[], settings: StackSettings): void {
  const platform = platformNamespace(settings);
  const byDns = new Map<string, string>();
  const byMetricName = new Map<string, string>();
  const inPlatform = new Map<string, string | undefined>([API_TOKENS_SECRET, MONITOR_TOKENS_SECRET, MONITOR_OPERATOR_SECRET, CASSANDRA_PLATFORM_SECRET, CASSANDRA_CONSOLE_SECRET].map((name) => [`Secret/${name}`, undefined]));
  for (const tenant of tenants) {
    if (tenant.client.includes('.')) throw new InputError(`tenant "${tenant.client}": client id must not contain "." (it delimits topic prefixes)`);
    if (!isDnsLabel(tenant.dnsName)) throw new InputError(`tenant "${tenant.client}": dnsName "${tenant.dnsName}" is not a DNS label`);
    if (tenant.dnsName === 'platform') throw new InputError(`tenant "${tenant.client}": namespace ${settings.namespacePrefix}-platform is the platform's`);
    const other = byDns.get(tenant.dnsName);
    if (other !== undefined) throw new InputError(`tenants "${other}" and "${tenant.client}" map to the same Kubernetes name "${tenant.dnsName}"`);
    byDns.set(tenant.dnsName, tenant.client);
    if (RESERVED_CASSANDRA_ROLES.includes(cassandraRoleName(tenant))) {
      throw new InputError(`tenant "${tenant.client}": Cassandra role "${cassandraRoleName(tenant)}" is reserved for the platform`);
    }
    for (const [kind, name] of platformNamespaceObjects(tenant)) {
      const key = `${kind}/${name}`;
      if (inPlatform.has(key)) {
        const owner = inPlatform.get(key);
        throw new InputError(`tenant "${tenant.client}": ${kind} "${name}" in namespace ${platform} is already ${owner === undefined ? "the platform's" : `tenant "${owner}"'s`}`);
      }
      inPlatform.set(key, tenant.client);
    }
    for (const dataset of tenant.datasets) {
      for (const topic of [dataset.topics.main, dataset.topics.raw, dataset.topics.dlq]) {
        const metricName = topic.replace(/\./g, '_');
        const clash = byMetricName.get(metricName);
        if (clash !== undefined) throw new InputError(`Kafka topics "${clash}" and "${topic}" collide in Kafka metric names ("${metricName}")`);
        byMetricName.set(metricName, topic);
      }
    }
  }
}
