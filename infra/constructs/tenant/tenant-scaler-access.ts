import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { platformEndpoints, platformNamespace, tenantNamespace, workloadName } from '../common/naming';

export interface TenantScalerAccessProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
}

/** Role and RoleBinding name in each tenant namespace. */
export const SCALER_ROLE = 'mysimbdp-scaler';

/**
 * Lets the platform's stream monitor (mysimbdp-streamingestmanager) read and patch exactly this
 * tenant's stream and sink Deployments — a Role in the tenant namespace bound to the monitor's
 * ServiceAccount — so scaling needs no cluster-wide write access to Deployments. The manager
 * scales a dataset's stream and sink together (ingest/src/manager/kubernetes-scale-target.ts),
 * except on stacks with KEDA, whose ScaledObjects own the sinks: then only the streams.
 */
export class TenantScalerAccess extends Construct {
  constructor(scope: Construct, id: string, props: TenantScalerAccessProps) {
    super(scope, id);
    const { tenant, settings } = props;
    const namespace = tenantNamespace(settings, tenant);
    const labels = tenantLabels(tenant, 'monitor');
    const roles = settings.operators.keda ? (['stream'] as const) : (['stream', 'sink'] as const);
    const resourceNames = tenant.datasets.flatMap((d) => roles.map((role) => workloadName(tenant, d, role)));
    new k8s.KubeRole(this, 'role', {
      metadata: { name: SCALER_ROLE, namespace, labels },
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames, verbs: ['get', 'patch'] }],
    });
    new k8s.KubeRoleBinding(this, 'binding', {
      metadata: { name: SCALER_ROLE, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SCALER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: platformEndpoints(settings).monitorName, namespace: platformNamespace(settings) }],
    });
  }
}
