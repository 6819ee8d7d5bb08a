import { InputError } from '../../errors';
import type { StackSettings } from '../../stack/stack-settings';
import type { Dataset, Tenant } from '../../tenant/types';
import { isDnsLabel } from '../../tenant/rules/dns-name';

// Every Kubernetes name the platform and tenant charts share, in one place: the platform chart
// creates what these name, the tenant charts point at them.


/** DNS-label form of an id: `client_a` → `client-a`. Throws when nothing DNS-safe remains. */
export function dnsName(id: string): string {
  const name = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!isDnsLabel(name)) throw new InputError(`"${id}" has no DNS-safe form of at most 63 characters (got "${name}")`);
  return name;
}

/** `<prefix>-platform`: Kafka, Cassandra, API, monitor, KafkaTopics and KafkaUsers live here. */
export function platformNamespace(settings: StackSettings): string {
  return `${settings.namespacePrefix}-platform`;
}

/** `<prefix>-<dns-client>`. */
export function tenantNamespace(settings: StackSettings, tenant: Tenant): string {
  return `${settings.namespacePrefix}-${tenant.dnsName}`;
}

export type WorkloadRole = 'batch' | 'stream' | 'sink';

/** `<dns-client>-<dataset>-<role>` (CronJob, Deployments, their ScaledObject). */
export function workloadName(tenant: Tenant, dataset: Dataset, role: WorkloadRole): string {
  return `${tenant.dnsName}-${dataset.name}-${role}`;
}

/** KafkaTopic `metadata.name`: DNS subdomain `<dns-client>.<dataset>[.raw|.dlq]`; `spec.topicName` keeps the client id. */
export function kafkaTopicResourceName(tenant: Tenant, topicName: string): string {
  if (!topicName.startsWith(kafkaPrefix(tenant))) throw new InputError(`topic "${topicName}" does not start with "${kafkaPrefix(tenant)}"`);
  return `${tenant.dnsName}.${topicName.slice(kafkaPrefix(tenant).length)}`.toLowerCase();
}

/** Prefix of every topic and consumer group of a tenant (ACL prefix patterns). */
export function kafkaPrefix(tenant: Tenant): string {
  return `${tenant.client}.`;
}

/** Group prefix of a tenant's sink connectors (Kafka Connect names their groups `connect-<connector>`). */
export function connectorGroupPrefix(tenant: Tenant): string {
  return `connect-${tenant.dnsName}.`;
}

/** KafkaUser name = SASL username. */
export function kafkaUserName(tenant: Tenant): string {
  return tenant.dnsName;
}

/**
 * Secret `<dns-client>-kafka` with key `password`, present in the platform namespace (the KafkaUser's
 * `authentication.password.valueFrom`) and in the tenant namespace (the pods' KAFKA_PASSWORD).
 * The Pulumi program creates both from one derived secret, so no password is ever in a manifest.
 */
export function kafkaPasswordSecretName(tenant: Tenant): string {
  return `${tenant.dnsName}-kafka`;
}

/** Secret `<dns-client>-cassandra` in the tenant namespace: keys `username`, `password` of the tenant's own Cassandra role. */
export function cassandraSecretName(tenant: Tenant): string {
  return `${tenant.dnsName}-cassandra`;
}

/**
 * Secret `<dns-client>-credentials` in the platform namespace: the tenant's credentials file (key
 * `credentialsFileName(client)`), which only its provision Job mounts, to create the tenant's role.
 */
export function credentialsSecretName(tenant: Tenant): string {
  return `${tenant.dnsName}-credentials`;
}

/** Secret `<dns-client>-keys` with the tenant's encryption keys, in its namespace and (for the upload API) the platform's. */
export function encryptionKeysSecretName(tenant: Tenant): string {
  return `${tenant.dnsName}-keys`;
}

/**
 * Secret `<dns-client>-monitor` in the tenant namespace: key `token`, the bearer token the tenant's
 * stream instances send with their reports (MONITOR_TOKEN); the monitor holds only its SHA-256.
 */
export function monitorTokenSecretName(tenant: Tenant): string {
  return `${tenant.dnsName}-monitor`;
}

/** Job `<dns-client>-provision` in the platform namespace. */
export function provisionJobName(tenant: Tenant): string {
  return `${tenant.dnsName}-provision`;
}

/** The platform's Cassandra role: a cass-operator superuser, which only the platform namespace holds. */
export const CASSANDRA_PLATFORM_ROLE = 'mysimbdp_platform';
/** Secret (keys `username`, `password`) of CASSANDRA_PLATFORM_ROLE in the platform namespace. */
export const CASSANDRA_PLATFORM_SECRET = 'mysimbdp-cassandra-platform';
/**
 * The console's Cassandra role (the upload API's login): SELECT on the two ingestion-log tables of
 * each tenant keyspace and nothing else, granted by `provision`. Its credentials file in a
 * credentials folder is `<role>.json`, so no tenant (whose file is `<client>.json`) may take the name.
 */
export const CASSANDRA_CONSOLE_ROLE = 'mysimbdp_console';
/**
 * Secret of CASSANDRA_CONSOLE_ROLE in the platform namespace: keys `username`, `password` (the
 * upload API's CASSANDRA_USERNAME, CASSANDRA_PASSWORD) and `<role>.json`, the same login as a
 * credentials file, which the provision Jobs read to create the role.
 */
export const CASSANDRA_CONSOLE_SECRET = 'mysimbdp-cassandra-console';
/** Secret with the upload API's token hashes in the platform namespace. */
export const API_TOKENS_SECRET = 'mysimbdp-api-tokens';
/** Secret with the SHA-256 of every tenant's monitor token in the platform namespace (key `tokens.json`). */
export const MONITOR_TOKENS_SECRET = 'mysimbdp-monitor-tokens';

/**
 * Secret of the upload API's operator token at the monitor, in the platform namespace: key `token`
 * (the API's, MONITOR_OPERATOR_TOKEN_FILE) and key `operator-tokens.json` (its SHA-256, the
 * monitor's MONITOR_OPERATOR_TOKENS_FILE), so the API reads every tenant's decisions.
 */
export const MONITOR_OPERATOR_SECRET = 'mysimbdp-monitor-operator';
/** Operator name of the upload API at the monitor (an operator tokens file key: the client-id rule). */
export const MONITOR_API_OPERATOR = 'upload_api';

/** ConfigMap with the tenant's files, mounted at /etc/mysimbdp/tenants/<client>/. */
export function tenantConfigMapName(tenant: Tenant): string {
  return `${tenant.dnsName}-tenant`;
}

/** Cluster-scoped static PV of a tenant's staging folder. */
export function stagingVolumeName(settings: StackSettings, tenant: Tenant): string {
  return `${settings.namespacePrefix}-staging-${tenant.dnsName}`;
}

/** PVC name inside each namespace that mounts staging (tenant namespaces and the platform's). */
export const STAGING_CLAIM = 'staging';
/** Where staging is mounted in every pod; the runtime's SOURCE_PATH. */
export const STAGING_MOUNT = '/staging';
/** Where the tenant ConfigMaps are mounted; the runtime's TENANTS_DIR. */
export const TENANTS_MOUNT = '/etc/mysimbdp/tenants';
/** Where the provision Job mounts its tenant's credentials Secret; the runtime's CREDENTIALS_DIR. */
export const CREDENTIALS_MOUNT = '/etc/mysimbdp/credentials';

/** Namespace of the Prometheus stack (kube-prometheus-stack release), whose Prometheus scrapes
 * every namespace: tenant and platform network policies let it reach the metrics ports. */
export const MONITORING_NAMESPACE = 'monitoring';

/** Ports the platform exposes; the platform chart opens them, tenant network policies allow them. */
export const PLATFORM_PORTS = {
  /** Strimzi listener `scram`: plain TCP with SCRAM-SHA-512 authentication. */
  kafka: 9092,
  cassandra: 9042,
  api: 8080,
  monitor: 8081,
  /** Runtime sink/stream metrics (container port `metrics`). */
  metrics: 9464,
  /** Kafka Connect REST API. */
  connect: 8083,
} as const;

/** Addresses tenant workloads are configured with. */
export interface PlatformEndpoints {
  readonly namespace: string;
  /** KAFKA_BROKERS: `<kafka>-kafka-bootstrap.<ns>.svc:9092` (Strimzi's bootstrap Service). */
  readonly kafkaBootstrap: string;
  /** CASSANDRA_CONTACT_POINTS: `<cluster>-<dc>-service.<ns>.svc:9042` (cass-operator's Service). */
  readonly cassandraContactPoints: string;
  /** Name of the monitor Deployment/Service. */
  readonly monitorName: string;
  /** The monitor Service's in-cluster URL, `http://<monitor>.<ns>.svc:8081` (the upload API's MONITOR_URL). */
  readonly monitorServiceUrl: string;
  /** MONITOR_URL of stream instances: where they post reports (`<monitorServiceUrl>/reports`). */
  readonly monitorUrl: string;
  /** Name of the upload API Deployment/Service. */
  readonly apiName: string;
}

export function platformEndpoints(settings: StackSettings): PlatformEndpoints {
  const namespace = platformNamespace(settings);
  const monitorName = 'mysimbdp-monitor';
  const monitorServiceUrl = `http://${monitorName}.${namespace}.svc:${PLATFORM_PORTS.monitor}`;
  return {
    namespace,
    kafkaBootstrap: `${settings.kafkaClusterName}-kafka-bootstrap.${namespace}.svc:${PLATFORM_PORTS.kafka}`,
    cassandraContactPoints: `${settings.cassandraClusterName}-${settings.cassandraDatacenter}-service.${namespace}.svc:${PLATFORM_PORTS.cassandra}`,
    monitorName,
    monitorServiceUrl,
    monitorUrl: `${monitorServiceUrl}/reports`,
    apiName: 'mysimbdp-api',
  };
}
