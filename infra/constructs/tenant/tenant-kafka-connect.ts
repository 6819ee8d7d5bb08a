import { Construct } from 'constructs';
import { InputError } from '../../errors';
import {
  KafkaConnect,
  KafkaConnectSpecAuthenticationType,
  KafkaConnectSpecBuildOutputType,
  KafkaConnectSpecBuildPluginsArtifactsType,
  KafkaConnectSpecBuildResourcesLimits,
  KafkaConnectSpecBuildResourcesRequests,
  KafkaConnectSpecResourcesLimits,
  KafkaConnectSpecResourcesRequests,
  KafkaConnector,
  KafkaTopic,
  type KafkaConnectSpecBuildPlugins,
} from '../../imports/kafka.strimzi.io';
import type { StackSettings } from '../../stack/stack-settings';
import type { ConnectorPlugin, ConnectorSpec, Dataset, Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { kafkaPasswordSecretName, kafkaPrefix, kafkaTopicResourceName, kafkaUserName, platformEndpoints, platformNamespace, tenantNamespace } from '../common/naming';
import { CONNECT_BUILD_RESOURCES, CONNECT_RESOURCES } from './tenant-budget';
import { isDnsSubdomain } from '../../tenant/rules/dns-name';

export interface TenantKafkaConnectProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
  /**
   * `kubernetes.io/dockerconfigjson` Secret in the tenant namespace that Strimzi pushes the built
   * Connect image with (the stack's `connectPushSecret`). @default none (pushes without credentials)
   */
  readonly pushSecret?: string;
}

/** KafkaConnect name of a tenant (its pods are `<dns-client>-connect-*`). */
export function connectClusterName(tenant: Tenant): string {
  return tenant.dnsName;
}

/** KafkaConnector name: `<dns-client>.<connector>`; its sink consumer group is `connect-<that>`. */
export function connectorName(tenant: Tenant, connector: ConnectorSpec): string {
  return `${tenant.dnsName}.${connector.name}`;
}

/** Connect's own topics, prefixed with the client so the tenant's ACLs cover them. */
function internalTopics(tenant: Tenant) {
  const prefix = kafkaPrefix(tenant);
  return [
    { role: 'configStorageTopic', name: `${prefix}connect-configs`, partitions: 1 },
    { role: 'offsetStorageTopic', name: `${prefix}connect-offsets`, partitions: 25 },
    { role: 'statusStorageTopic', name: `${prefix}connect-status`, partitions: 5 },
  ] as const;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Plugins of all connectors, each once (by name); one name with two definitions is an error. */
function uniquePlugins(tenant: Tenant): ConnectorPlugin[] {
  const byName = new Map<string, ConnectorPlugin>();
  for (const connector of tenant.agreement.connectors) {
    for (const plugin of connector.plugins) {
      const seen = byName.get(plugin.name);
      if (seen !== undefined && !sameJson(seen, plugin)) {
        throw new InputError(`tenant "${tenant.client}": connector plugin "${plugin.name}" is defined twice with different artifacts`);
      }
      byName.set(plugin.name, plugin);
    }
  }
  return [...byName.values()];
}

function buildPlugin(plugin: ConnectorPlugin): KafkaConnectSpecBuildPlugins {
  return {
    name: plugin.name,
    artifacts: plugin.artifacts.map((a) => ({
      type: a.type as KafkaConnectSpecBuildPluginsArtifactsType,
      ...(a.type === 'maven' ? { group: a.group, artifact: a.artifact, version: a.version } : { url: a.url }),
      ...(a.sha512sum === undefined ? {} : { sha512Sum: a.sha512sum }),
    })),
  };
}

/**
 * The tenant's own Kafka Connect worker — as in the original design, one per tenant — built by
 * Strimzi with the agreement's plugins (`spec.build`), authenticated as the tenant's KafkaUser (so
 * its ACLs bound it), plus one KafkaConnector per agreement connector and Connect's three internal
 * topics (`<client>.connect-*`, compacted), which the operator owns so the user needs no Create.
 * Only made when the agreement has connectors.
 */
export class TenantKafkaConnect extends Construct {
  constructor(scope: Construct, id: string, props: TenantKafkaConnectProps) {
    super(scope, id);
    const { tenant, settings } = props;
    const { connectors } = tenant.agreement;
    if (connectors.length === 0) throw new InputError(`tenant "${tenant.client}": TenantKafkaConnect needs at least one connector`);
    const { pushSecret } = props;
    if (pushSecret !== undefined && !isDnsSubdomain(pushSecret)) {
      throw new InputError(`TenantKafkaConnect: pushSecret must be a Secret name (DNS subdomain: a-z, 0-9, '-', '.', at most 253 characters), got "${pushSecret}"`);
    }
    const datasets = new Map<string, Dataset>(tenant.datasets.map((d) => [d.name, d]));
    const first = tenant.datasets[0];
    if (first === undefined) throw new InputError(`tenant "${tenant.client}": connectors need a dataset`);
    const datasetOf = (c: ConnectorSpec): Dataset => {
      const dataset = c.dataset === undefined ? first : datasets.get(c.dataset);
      if (dataset === undefined) throw new InputError(`tenant "${tenant.client}": connector "${c.name}" names unknown dataset "${c.dataset}"`);
      return dataset;
    };
    const plugins = uniquePlugins(tenant);
    const namespace = tenantNamespace(settings, tenant);
    const labels = tenantLabels(tenant, 'connect');
    const name = connectClusterName(tenant);
    const topics = internalTopics(tenant);
    const replicas = settings.replicas.kafkaTopics;

    for (const topic of topics) {
      const resource = kafkaTopicResourceName(tenant, topic.name);
      new KafkaTopic(this, resource, {
        metadata: { name: resource, namespace: platformNamespace(settings), labels: { ...tenantLabels(tenant, 'kafka'), 'strimzi.io/cluster': settings.kafkaClusterName } },
        spec: { topicName: topic.name, partitions: topic.partitions, replicas, config: { 'cleanup.policy': 'compact' } },
      });
    }

    const { image } = settings;
    new KafkaConnect(this, 'connect', {
      metadata: { name, namespace, labels, annotations: { 'strimzi.io/use-connector-resources': 'true' } },
      spec: {
        replicas: 1,
        bootstrapServers: platformEndpoints(settings).kafkaBootstrap,
        groupId: `${kafkaPrefix(tenant)}connect`,
        configStorageTopic: topics[0].name,
        offsetStorageTopic: topics[1].name,
        statusStorageTopic: topics[2].name,
        authentication: {
          type: KafkaConnectSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512,
          username: kafkaUserName(tenant),
          passwordSecret: { secretName: kafkaPasswordSecretName(tenant), password: 'password' },
        },
        config: {
          'config.storage.replication.factor': replicas,
          'offset.storage.replication.factor': replicas,
          'status.storage.replication.factor': replicas,
        },
        resources: {
          requests: {
            cpu: KafkaConnectSpecResourcesRequests.fromString(CONNECT_RESOURCES.requests.cpu.text),
            memory: KafkaConnectSpecResourcesRequests.fromString(CONNECT_RESOURCES.requests.memory.text),
          },
          limits: {
            cpu: KafkaConnectSpecResourcesLimits.fromString(CONNECT_RESOURCES.limits.cpu.text),
            memory: KafkaConnectSpecResourcesLimits.fromString(CONNECT_RESOURCES.limits.memory.text),
          },
        },
        template: {
          pod: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } },
          connectContainer: {
            securityContext: {
              runAsNonRoot: true,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
          },
        },
        build_: {
          output: {
            type: KafkaConnectSpecBuildOutputType.DOCKER,
            image: `${image.registry}/${image.repository}-connect-${tenant.dnsName}:${image.tag}`,
            ...(pushSecret === undefined ? {} : { pushSecret }),
          },
          plugins: plugins.map(buildPlugin),
          resources: {
            requests: {
              cpu: KafkaConnectSpecBuildResourcesRequests.fromString(CONNECT_BUILD_RESOURCES.requests.cpu.text),
              memory: KafkaConnectSpecBuildResourcesRequests.fromString(CONNECT_BUILD_RESOURCES.requests.memory.text),
            },
            limits: {
              cpu: KafkaConnectSpecBuildResourcesLimits.fromString(CONNECT_BUILD_RESOURCES.limits.cpu.text),
              memory: KafkaConnectSpecBuildResourcesLimits.fromString(CONNECT_BUILD_RESOURCES.limits.memory.text),
            },
          },
        },
      },
    });

    for (const connector of connectors) {
      const dataset = datasetOf(connector);
      const config: Record<string, string | number | boolean> =
        connector.direction === 'sink' && connector.config.topics === undefined && connector.config['topics.regex'] === undefined
          ? { topics: dataset.topics.main, ...connector.config }
          : { ...connector.config };
      new KafkaConnector(this, `connector-${connector.name}`, {
        metadata: {
          name: connectorName(tenant, connector),
          namespace,
          labels: { ...tenantLabels(tenant, 'connect', dataset), 'strimzi.io/cluster': name },
        },
        spec: { class: connector.className, tasksMax: connector.tasksMax, config },
      });
    }
  }
}
