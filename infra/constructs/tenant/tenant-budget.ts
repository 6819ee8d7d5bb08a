import type { Resources, Tenant } from '../../tenant/types';
import { cpuMillis, memoryBytes } from '../common/quantity';

// What a tenant may run at most, pod by pod. The ResourceQuota is the sum of this budget and the
// LimitRange's maximum its largest container, so the quota is derived from the agreement rather
// than guessed, and a tenant's own workloads can always be scheduled at their maximum scale.

/** Kafka Connect worker (a JVM). */
export const CONNECT_RESOURCES: Resources = {
  requests: { cpu: '500m', memory: '1Gi' },
  limits: { cpu: '1', memory: '2Gi' },
};

/** Strimzi's image build pod for the Connect plugins. */
export const CONNECT_BUILD_RESOURCES: Resources = {
  requests: { cpu: '500m', memory: '512Mi' },
  limits: { cpu: '1', memory: '1Gi' },
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
 * Deployments roll with maxSurge 0); the provisioning Job; the Connect worker and its build pod when
 * the agreement has connectors.
 */
export function tenantBudget(tenant: Tenant): BudgetItem[] {
  const scale = tenant.agreement.stream.maxReplicas;
  const items: BudgetItem[] = [{ workload: 'provision', resources: tenant.agreement.resources, pods: 1 }];
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
  readonly requests: { readonly cpuMillis: number; readonly memoryBytes: number };
  readonly limits: { readonly cpuMillis: number; readonly memoryBytes: number };
  /** Largest single container limit. */
  readonly maxLimits: { readonly cpuMillis: number; readonly memoryBytes: number };
}

export function budgetTotals(items: readonly BudgetItem[]): BudgetTotals {
  const sum = (pick: (i: BudgetItem) => number) => items.reduce((total, i) => total + pick(i) * i.pods, 0);
  const max = (pick: (i: BudgetItem) => number) => items.reduce((m, i) => Math.max(m, pick(i)), 0);
  return {
    pods: items.reduce((total, i) => total + i.pods, 0),
    requests: { cpuMillis: sum((i) => cpuMillis(i.resources.requests.cpu)), memoryBytes: sum((i) => memoryBytes(i.resources.requests.memory)) },
    limits: { cpuMillis: sum((i) => cpuMillis(i.resources.limits.cpu)), memoryBytes: sum((i) => memoryBytes(i.resources.limits.memory)) },
    maxLimits: { cpuMillis: max((i) => cpuMillis(i.resources.limits.cpu)), memoryBytes: max((i) => memoryBytes(i.resources.limits.memory)) },
  };
}
