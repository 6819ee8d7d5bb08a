import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { platformNamespace } from '../common/naming';
import { BatchCronJob } from './batch-cron-job';
import { DatasetTopics } from './dataset-topics';
import { ProvisionJob } from './provision-job';
import { RuntimeDeployment } from './runtime-deployment';
import { SinkScaledObject } from './sink-scaled-object';
import { TenantConfig } from './tenant-config';
import { TenantKafkaConnect } from './tenant-kafka-connect';
import { TenantKafkaUser } from './tenant-kafka-user';
import { TenantNamespace } from './tenant-namespace';
import { TenantNetworkPolicy } from './tenant-network-policy';
import { TenantScalerAccess } from './tenant-scaler-access';
import { TenantStaging } from './tenant-staging';

export interface TenantChartProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
  /** Tenant files by path relative to its folder. @default read from `tenant.dir` */
  readonly files?: ReadonlyMap<string, string>;
}

/**
 * Everything one tenant needs on the cluster, derived from its two files alone: namespace, quota,
 * limits, network policy, service account, config, staging volume; Kafka topics and user; the
 * provisioning Job (in the platform namespace, as the platform's Cassandra role); per dataset the batch CronJob and the stream and sink Deployments (plus a KEDA
 * ScaledObject when the stack runs KEDA); the Connect worker when the agreement has connectors.
 */
export class TenantChart extends Chart {
  constructor(scope: Construct, id: string, props: TenantChartProps) {
    super(scope, id);
    const { tenant, settings } = props;
    const base = { tenant, settings };
    new TenantNamespace(this, 'namespace', base);
    new TenantNetworkPolicy(this, 'network-policy', base);
    new TenantConfig(this, 'config', { ...base, files: props.files });
    // The platform's API and monitor and the tenant's provision Job mount this copy (a ConfigMap cannot be mounted across namespaces).
    new TenantConfig(this, 'platform-config', { ...base, files: props.files, namespace: platformNamespace(settings) });
    new TenantStaging(this, 'staging', base);
    new TenantKafkaUser(this, 'kafka-user', base);
    new TenantScalerAccess(this, 'scaler-access', base);
    new ProvisionJob(this, 'provision', base);
    for (const dataset of tenant.datasets) {
      const perDataset = { ...base, dataset };
      new DatasetTopics(this, `topics-${dataset.name}`, perDataset);
      new BatchCronJob(this, `batch-${dataset.name}`, perDataset);
      new RuntimeDeployment(this, `stream-${dataset.name}`, { ...perDataset, role: 'stream' });
      new RuntimeDeployment(this, `sink-${dataset.name}`, { ...perDataset, role: 'sink', autoscaled: settings.operators.keda });
      if (settings.operators.keda) new SinkScaledObject(this, `sink-scaling-${dataset.name}`, perDataset);
    }
    if (tenant.agreement.connectors.length > 0) new TenantKafkaConnect(this, 'connect', { ...base, pushSecret: settings.connectPushSecret });
  }
}
