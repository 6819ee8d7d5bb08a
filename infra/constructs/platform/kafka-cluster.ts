import { Construct } from 'constructs';
import {
  Kafka,
  KafkaNodePool,
  KafkaNodePoolSpecResourcesLimits,
  KafkaNodePoolSpecResourcesRequests,
  KafkaNodePoolSpecRoles,
  KafkaNodePoolSpecStorageType,
  KafkaSpecKafkaAuthorizationType,
  KafkaSpecKafkaListenersAuthenticationType,
  KafkaSpecKafkaListenersType,
  KafkaSpecKafkaMetricsConfigType,
  type KafkaSpecKafkaListeners,
} from '../../imports/kafka.strimzi.io';
import { Quantity } from '../../tenant/rules/quantity';
import type { Resources } from '../../tenant/types';
import { PLATFORM_PORTS } from '../common/naming';
import { requireDnsLabel, requireInteger, requireResources } from './platform-validation';

export interface KafkaClusterProps {
  /** Namespace of the Kafka cluster (the platform namespace; also where tenant KafkaTopics/KafkaUsers live). */
  readonly namespace: string;
  /** Kafka and Strimzi resource name; also the bootstrap Service prefix `<name>-kafka-bootstrap`. @default "mysimbdp" */
  readonly name?: string;
  /** Kafka version. @default undefined (the operator's default version) */
  readonly version?: string;
  /** Broker nodes. With `controllerReplicas` 0 each node is broker and KRaft controller. */
  readonly brokerReplicas: number;
  /** Dedicated KRaft controller nodes; 0 = combined broker+controller nodes (small clusters). @default 0 */
  readonly controllerReplicas?: number;
  /** Storage class of the broker/controller volumes. @default undefined (cluster default class) */
  readonly storageClass?: string;
  /** Volume size per node. @default "10Gi" */
  readonly storageSize?: Quantity;
  /** Resources of each Kafka node. @default requests 500m/1Gi, limits 1/2Gi */
  readonly resources?: Resources;
  /** Also open a TLS listener on 9093 (SCRAM-SHA-512 over TLS). @default false */
  readonly tlsListener?: boolean;
  /** Namespace the topic and user operators watch. @default the cluster's namespace */
  readonly watchedNamespace?: string;
  /** Labels added to every object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The optional TLS listener's port (the SCRAM listener uses PLATFORM_PORTS.kafka, 9092). */
export const KAFKA_TLS_PORT = 9093;
/** Port (and container port name `tcp-prometheus`) where Strimzi exposes Kafka metrics. */
export const KAFKA_METRICS_PORT_NAME = 'tcp-prometheus';

const DEFAULT_STORAGE_SIZE = Quantity.memory('10Gi');

const DEFAULT_KAFKA_RESOURCES: Resources = {
  requests: { cpu: Quantity.cpu('500m'), memory: Quantity.memory('1Gi') },
  limits: { cpu: Quantity.cpu('1'), memory: Quantity.memory('2Gi') },
};

/**
 * The platform's Kafka (mysimbdp-messagingsystem): a Strimzi `Kafka` in KRaft mode with its
 * `KafkaNodePool`s, SCRAM-SHA-512 authentication on every listener, `simple` ACL authorization
 * (tenants reach only their own topics through their KafkaUser ACLs), the topic and user
 * operators, and Kafka Exporter for consumer-group lag.
 *
 * No `strimzi.io/kraft` / `strimzi.io/node-pools` annotations: the `kafka.strimzi.io/v1` API is
 * served only by Strimzi releases that always run KRaft with node pools and ignore both.
 */
export class KafkaCluster extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    const name = props.name ?? 'mysimbdp';
    const controllers = props.controllerReplicas ?? 0;
    const storageSize = props.storageSize ?? DEFAULT_STORAGE_SIZE;
    const resources = props.resources ?? DEFAULT_KAFKA_RESOURCES;
    requireDnsLabel('KafkaCluster', 'name', name);
    requireDnsLabel('KafkaCluster', 'namespace', props.namespace);
    requireInteger('KafkaCluster', 'brokerReplicas', props.brokerReplicas, 1);
    requireInteger('KafkaCluster', 'controllerReplicas', controllers, 0);
    requireResources('KafkaCluster', 'resources', resources);
    if (controllers > 0 && controllers % 2 === 0) {
      throw new Error(`KafkaCluster: controllerReplicas must be odd for a KRaft quorum, got ${controllers}`);
    }

    this.name = name;
    const labels = { ...(props.labels ?? {}) };
    const brokers = props.brokerReplicas;
    const scram = { type: KafkaSpecKafkaListenersAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 };
    const listeners: KafkaSpecKafkaListeners[] = [
      { name: 'scram', port: PLATFORM_PORTS.kafka, type: KafkaSpecKafkaListenersType.INTERNAL, tls: false, authentication: scram },
    ];
    if (props.tlsListener ?? false) {
      listeners.push({ name: 'tls', port: KAFKA_TLS_PORT, type: KafkaSpecKafkaListenersType.INTERNAL, tls: true, authentication: scram });
    }

    new Kafka(this, 'kafka', {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        kafka: {
          ...(props.version === undefined ? {} : { version: props.version }),
          listeners,
          authorization: { type: KafkaSpecKafkaAuthorizationType.SIMPLE },
          config: {
            // Internal topics and tenant topics survive one broker loss when there are 3 brokers.
            'offsets.topic.replication.factor': Math.min(3, brokers),
            'transaction.state.log.replication.factor': Math.min(3, brokers),
            'transaction.state.log.min.isr': Math.min(2, brokers),
            'default.replication.factor': Math.min(3, brokers),
            'min.insync.replicas': Math.min(2, brokers),
            'auto.create.topics.enable': false,
          },
          metricsConfig: {
            type: KafkaSpecKafkaMetricsConfigType.STRIMZI_METRICS_REPORTER,
            values: { allowList: ['kafka_server.*', 'kafka_network.*', 'kafka_log.*', 'kafka_controller.*', 'kafka_cluster.*'] },
          },
        },
        entityOperator: {
          topicOperator: props.watchedNamespace === undefined ? {} : { watchedNamespace: props.watchedNamespace },
          userOperator: props.watchedNamespace === undefined ? {} : { watchedNamespace: props.watchedNamespace },
        },
        kafkaExporter: { groupRegex: '.*', topicRegex: '.*' },
      },
    });

    const pool = (poolId: string, replicas: number, roles: KafkaNodePoolSpecRoles[]): void => {
      new KafkaNodePool(this, poolId, {
        metadata: { name: poolId, namespace: props.namespace, labels: { ...labels, 'strimzi.io/cluster': name } },
        spec: {
          replicas,
          roles,
          storage: {
            type: KafkaNodePoolSpecStorageType.PERSISTENT_HYPHEN_CLAIM,
            size: storageSize.text,
            ...(props.storageClass === undefined ? {} : { class: props.storageClass }),
            deleteClaim: false,
          },
          resources: {
            requests: {
              cpu: KafkaNodePoolSpecResourcesRequests.fromString(resources.requests.cpu.text),
              memory: KafkaNodePoolSpecResourcesRequests.fromString(resources.requests.memory.text),
            },
            limits: {
              cpu: KafkaNodePoolSpecResourcesLimits.fromString(resources.limits.cpu.text),
              memory: KafkaNodePoolSpecResourcesLimits.fromString(resources.limits.memory.text),
            },
          },
        },
      });
    };
    if (controllers === 0) {
      pool('dual', brokers, [KafkaNodePoolSpecRoles.CONTROLLER, KafkaNodePoolSpecRoles.BROKER]);
    } else {
      pool('controllers', controllers, [KafkaNodePoolSpecRoles.CONTROLLER]);
      pool('brokers', brokers, [KafkaNodePoolSpecRoles.BROKER]);
    }
  }
}
