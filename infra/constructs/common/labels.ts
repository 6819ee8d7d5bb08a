import type { Dataset, Tenant } from '../../tenant/types';

/** `app.kubernetes.io/component` values: runtime commands, plus the tenant's and platform's plumbing. */
export type Component =
  | 'batch'
  | 'stream'
  | 'sink'
  | 'provision'
  | 'connect'
  | 'api'
  | 'monitor'
  | 'tenant'
  | 'kafka'
  | 'cassandra'
  | 'staging'
  | 'monitoring';

export const TENANT_LABEL = 'mysimbdp.io/tenant';
export const DATASET_LABEL = 'mysimbdp.io/dataset';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** Labels every object of the platform carries. */
export function platformLabels(component: Component): Record<string, string> {
  return {
    'app.kubernetes.io/name': `mysimbdp-${component}`,
    [COMPONENT_LABEL]: component,
    'app.kubernetes.io/part-of': 'mysimbdp',
    'app.kubernetes.io/managed-by': 'mysimbdp',
  };
}

/**
 * Labels every tenant object carries: the client id as is (label values allow `_`), the component,
 * and the dataset for per-dataset objects.
 */
export function tenantLabels(tenant: Tenant, component: Component, dataset?: Dataset): Record<string, string> {
  return {
    ...platformLabels(component),
    [TENANT_LABEL]: tenant.client,
    ...(dataset === undefined ? {} : { [DATASET_LABEL]: dataset.name }),
  };
}

/** The stable subset used in selectors (Deployment selectors are immutable, so no version labels). */
export function tenantSelector(tenant: Tenant, component: Component, dataset?: Dataset): Record<string, string> {
  return {
    [TENANT_LABEL]: tenant.client,
    [COMPONENT_LABEL]: component,
    ...(dataset === undefined ? {} : { [DATASET_LABEL]: dataset.name }),
  };
}
