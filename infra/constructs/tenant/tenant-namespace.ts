import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { InputError } from '../../errors';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { tenantNamespace } from '../common/naming';
import type { Quantity } from '../../tenant/rules/quantity';
import { budgetTotals, tenantBudget } from './tenant-budget';

export interface TenantNamespaceProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
}

/**
 * The tenant's namespace with its ResourceQuota and LimitRange (derived from the agreement via
 * tenantBudget) and the ServiceAccount its pods run as (no API token mounted).
 */
export class TenantNamespace extends Construct {
  /** The namespace name, `<prefix>-<dns-client>`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const { tenant, settings } = props;
    this.name = tenantNamespace(settings, tenant);
    if (this.name.length > 63) throw new InputError(`tenant "${tenant.client}": namespace "${this.name}" is longer than 63 characters`);
    const labels = tenantLabels(tenant, 'tenant');
    const metadata = (name: string) => ({ name, namespace: this.name, labels });

    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: this.name,
        // Pod Security Admission: "restricted", except that Strimzi's Connect image build (Kaniko)
        // needs root, so tenants with connectors get "baseline" enforced and "restricted" warned.
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': tenant.agreement.connectors.length > 0 ? 'baseline' : 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });

    const totals = budgetTotals(tenantBudget(tenant));
    const q = (quantity: Quantity | string) => k8s.Quantity.fromString(String(quantity));
    new k8s.KubeResourceQuota(this, 'quota', {
      metadata: metadata('tenant-quota'),
      spec: {
        hard: {
          'requests.cpu': q(totals.requests.cpu),
          'requests.memory': q(totals.requests.memory),
          'limits.cpu': q(totals.limits.cpu),
          'limits.memory': q(totals.limits.memory),
          pods: q(String(totals.pods)),
          persistentvolumeclaims: q('1'),
          'services.loadbalancers': q('0'),
          'services.nodeports': q('0'),
        },
      },
    });

    const { requests, limits } = tenant.agreement.resources;
    // The default (the agreement's size) may not exceed the max, also when every dataset runs smaller.
    const atLeastDefault = (largest: Quantity, fallback: Quantity) => (fallback.compare(largest) > 0 ? fallback : largest);
    new k8s.KubeLimitRange(this, 'limits', {
      metadata: metadata('tenant-limits'),
      spec: {
        limits: [
          {
            type: 'Container',
            // Containers that declare nothing (e.g. operator-made helpers) get the agreement's size.
            default: { cpu: q(limits.cpu), memory: q(limits.memory) },
            defaultRequest: { cpu: q(requests.cpu), memory: q(requests.memory) },
            max: { cpu: q(atLeastDefault(totals.maxLimits.cpu, limits.cpu)), memory: q(atLeastDefault(totals.maxLimits.memory, limits.memory)) },
          },
        ],
      },
    });

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: metadata(tenant.dnsName),
      automountServiceAccountToken: false,
    });
  }
}
