import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { platformLabels } from '../common/labels';
import { platformEndpoints, STAGING_CLAIM } from '../common/naming';
import { CassandraCluster } from './cassandra-cluster';
import { GrafanaDashboard } from './grafana-dashboard';
import { KafkaCluster } from './kafka-cluster';
import { PlatformAlerts } from './platform-alerts';
import { PlatformMonitoring } from './platform-monitoring';
import { StagingVolume } from './staging-volume';
import { StreamMonitor } from './stream-monitor';
import { UploadApi } from './upload-api';

export interface PlatformChartProps {
  readonly settings: StackSettings;
  /** Tenants the API and monitor serve; only their file lists and encryption flags shape the platform
   * (the API's and monitor's volumes), never the files' contents. */
  readonly tenants: readonly Tenant[];
}

/**
 * Everything shared by all tenants, in `<prefix>-platform`: Kafka (KRaft, node pools, SCRAM +
 * simple ACLs), Cassandra, the staging share root, the upload API, the stream monitor, Prometheus
 * monitors and alert rules (when the stack installs the Prometheus operator) and the Grafana dashboard.
 */
export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id);
    const { settings, tenants } = props;
    const endpoints = platformEndpoints(settings);
    const namespace = endpoints.namespace;

    new k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: namespace, labels: { 'app.kubernetes.io/part-of': 'mysimbdp', 'app.kubernetes.io/managed-by': 'mysimbdp' } },
    });
    const kafka = new KafkaCluster(this, 'kafka', {
      namespace,
      name: settings.kafkaClusterName,
      brokerReplicas: settings.replicas.kafkaBrokers,
      storageClass: settings.storageClass,
      labels: platformLabels('kafka'),
    });
    const cassandra = new CassandraCluster(this, 'cassandra', {
      namespace,
      clusterName: settings.cassandraClusterName,
      datacenterName: settings.cassandraDatacenter,
      size: settings.replicas.cassandraNodes,
      storageClass: settings.storageClass,
      labels: platformLabels('cassandra'),
    });
    new StagingVolume(this, 'staging', {
      // `platform` can never be a tenant's DNS name (name-collisions.ts), so this never clashes with stagingVolumeName().
      volumeName: `${settings.namespacePrefix}-staging-platform`,
      namespace,
      claimName: STAGING_CLAIM,
      storageClass: settings.storageClass,
      server: settings.staging.server,
      path: settings.staging.path,
      size: settings.staging.size,
      labels: platformLabels('staging'),
    });
    new UploadApi(this, 'api', { settings, namespace, tenants, name: endpoints.apiName, stagingClaim: STAGING_CLAIM });
    new StreamMonitor(this, 'monitor', { settings, namespace, tenants, name: endpoints.monitorName });
    if (settings.operators.prometheus) {
      new PlatformMonitoring(this, 'monitoring', { namespace, kafkaClusterName: kafka.name, cassandraClusterName: cassandra.clusterName });
      new PlatformAlerts(this, 'alerts', { namespace, tenants });
    }
    new GrafanaDashboard(this, 'dashboard', { namespace });
  }
}
