import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
// Per-kind modules: the package index would load (and compile validators for) every model.
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { platformLabels, COMPONENT_LABEL } from '../common/labels';
import { requireDnsLabel } from './platform-validation';
import { CASSANDRA_METRICS_PORT_NAME } from './cassandra-cluster';
import { KAFKA_METRICS_PORT_NAME } from './kafka-cluster';
import { METRICS_SERVICE_LABEL } from './runtime-service';

export interface PlatformMonitoringProps {
  /** Namespace of the monitors (the platform namespace). */
  readonly namespace: string;
  /** Strimzi Kafka name (its pods carry `strimzi.io/cluster`). */
  readonly kafkaClusterName: string;
  /** cass-operator cluster name (its pods carry `cassandra.datastax.com/cluster`). */
  readonly cassandraClusterName: string;
  /** Scrape interval. @default "30s" */
  readonly interval?: string;
}

/** Tenant runtime components that expose `metrics` (9464) while they run. */
export const SCRAPED_TENANT_COMPONENTS = ['batch', 'stream', 'sink'] as const;

/**
 * Prometheus scrape configuration for every component, as prometheus-operator monitors:
 * - ServiceMonitor: the API and monitor Services (`mysimbdp.io/metrics: "true"`, port `http`);
 * - PodMonitor: Strimzi pods (brokers, Kafka Exporter with consumer lag, tenant Kafka Connect) on
 *   `tcp-prometheus`, in every namespace;
 * - PodMonitor: Cassandra nodes (management API `metrics`);
 * - PodMonitor: tenant batch/stream/sink pods on `metrics`, in every namespace.
 * Objects are built with @kubernetes-models/prometheus-operator and validated against its schema.
 */
export class PlatformMonitoring extends Construct {
  constructor(scope: Construct, id: string, props: PlatformMonitoringProps) {
    super(scope, id);
    requireDnsLabel('PlatformMonitoring', 'namespace', props.namespace);
    const interval = props.interval ?? '30s';
    if (!/^(\d+(ms|s|m|h))+$/.test(interval)) throw new Error(`PlatformMonitoring: interval must be a Prometheus duration (e.g. 30s), got ${JSON.stringify(interval)}`);
    const labels = platformLabels('monitoring');
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels });
    const add = (model: PodMonitor | ServiceMonitor): void => {
      model.validate();
      new ApiObject(this, model.metadata?.name ?? '', model.toJSON() as never);
    };

    add(
      new ServiceMonitor({
        metadata: metadata('mysimbdp-platform-services'),
        spec: {
          selector: { matchLabels: { [METRICS_SERVICE_LABEL]: 'true' } },
          namespaceSelector: { matchNames: [props.namespace] },
          endpoints: [{ port: 'http', path: '/metrics', interval }],
        },
      }),
    );
    add(
      new PodMonitor({
        metadata: metadata('mysimbdp-strimzi'),
        spec: {
          selector: { matchExpressions: [{ key: 'strimzi.io/kind', operator: 'In', values: ['Kafka', 'KafkaConnect'] }] },
          namespaceSelector: { any: true },
          podMetricsEndpoints: [{ port: KAFKA_METRICS_PORT_NAME, path: '/metrics', interval }],
        },
      }),
    );
    add(
      new PodMonitor({
        metadata: metadata('mysimbdp-cassandra'),
        spec: {
          selector: { matchLabels: { 'cassandra.datastax.com/cluster': props.cassandraClusterName } },
          namespaceSelector: { matchNames: [props.namespace] },
          podMetricsEndpoints: [{ port: CASSANDRA_METRICS_PORT_NAME, path: '/metrics', interval }],
        },
      }),
    );
    add(
      new PodMonitor({
        metadata: metadata('mysimbdp-tenant-workloads'),
        spec: {
          selector: {
            matchLabels: { 'app.kubernetes.io/part-of': 'mysimbdp' },
            matchExpressions: [{ key: COMPONENT_LABEL, operator: 'In', values: [...SCRAPED_TENANT_COMPONENTS] }],
          },
          namespaceSelector: { any: true },
          podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval }],
          // Keep the tenant label on every series so dashboards can group by tenant.
          podTargetLabels: ['mysimbdp.io/tenant', 'mysimbdp.io/dataset'],
        },
      }),
    );
  }
}
