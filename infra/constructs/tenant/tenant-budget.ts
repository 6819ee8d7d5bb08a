import type { ResourceQuantities, Resources, Tenant } from '../../tenant/types';
import { Quantity } from '../../tenant/rules/quantity';

// What a tenant may run at most, pod by pod. The ResourceQuota is the sum of this budget and the
// LimitRange's maximum its largest container, so the quota is derived from the agreement rather
// than guessed, and a tenant's own workloads can always be scheduled at their maximum scale.

/** Kafka Connect worker (a JVM). */
export const CONNECT_RESOURCES: Resources = {
  requests: { cpu: Quantity.cpu('500m'), memory: Quantity.memory('1Gi') },
  limits: { cpu: Quantity.cpu('1'), memory: Quantity.memory('2Gi') },
};

/** Strimzi's image build pod for the Connect plugins. */
export const CONNECT_BUILD_RESOURCES: Resources = {
  requests: { cpu: Quantity.cpu('500m'), memory: Quantity.memory('512Mi') },
  limits: { cpu: Quantity.cpu('1'), memory: Quantity.memory('1Gi') },
};

export interface BudgetItem {
  /** Workload, e.g. `sink/speed-tracking-data`. */
  readonly workload: string;
  readonly resources: Resources;
  /** Most pods of this workload running at once. */
  readonly pods: number;
}

/**
 * Per dataset: batch (Forbid → one pod), stream and sink (up to `stream.maxReplicas` each; their
 * Deployments roll with maxSurge 0); the Connect worker and its build pod when the agreement has
 * connectors. Not the provisioning Job: it runs in the platform namespace.
 */
export function tenantBudget(tenant: Tenant): BudgetItem[] {
  const scale = tenant.agreement.stream.maxReplicas;
  const items: BudgetItem[] = [];
  for (const dataset of tenant.datasets) {
    items.push(
      { workload: `batch/${dataset.name}`, resources: dataset.resources, pods: 1 },
      { workload: `stream/${dataset.name}`, resources: dataset.resources, pods: scale },
      { workload: `sink/${dataset.name}`, resources: dataset.resources, pods: scale },
    );
  }
  if (tenant.agreement.connectors.length > 0) {
    items.push({ workload: 'connect', resources: CONNECT_RESOURCES, pods: 1 }, { workload: 'connect-build', resources: CONNECT_BUILD_RESOURCES, pods: 1 });
  }
  return items;
}

export interface BudgetTotals {
  readonly pods: number;
  readonly requests: ResourceQuantities;
  readonly limits: ResourceQuantities;
  /** Largest single container limit. */
  readonly maxLimits: ResourceQuantities;
}

export function budgetTotals(items: readonly BudgetItem[]): BudgetTotals {
  const total = (side: 'requests' | 'limits'): ResourceQuantities => ({
    cpu: Quantity.total('cpu', items.map((i) => [i.resources[side].cpu, i.pods] as const)),
    memory: Quantity.total('memory', items.map((i) => [i.resources[side].memory, i.pods] as const)),
  });
  const largest = (kind: 'cpu' | 'memory') => items.map((i) => i.resources.limits[kind]).reduce((a, b) => (b.compare(a) > 0 ? b : a));
  return {
    pods: items.reduce((sum, i) => sum + i.pods, 0),
    requests: total('requests'),
    limits: total('limits'),
    maxLimits: { cpu: largest('cpu'), memory: largest('memory') },
  };
}
