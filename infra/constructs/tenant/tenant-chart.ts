import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { tenantNamespace } from '../common/naming';

export interface TenantChartProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
}

/** Everything one tenant needs on the cluster. */
export class TenantChart extends Chart {
  constructor(scope: Construct, id: string, props: TenantChartProps) {
    super(scope, id);
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: tenantNamespace(props.settings, props.tenant), labels: tenantLabels(props.tenant, 'tenant') },
    });
  }
}
