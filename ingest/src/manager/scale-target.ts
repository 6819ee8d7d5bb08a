import type { Dataset, Tenant } from '../../../infra/tenant/types';

/** What a scale call did besides setting replicas. */
export interface ScaleResult {
  /** Workloads of the dataset left as they were, each named with why (e.g. a sink whose replicas KEDA owns). */
  readonly skipped: readonly string[];
}

export const NOTHING_SKIPPED: ScaleResult = { skipped: [] };

/**
 * Where a tenant dataset's stream instances run and how many: Kubernetes Deployments
 * (kubernetes-scale-target.ts) or local processes (process-pool.ts).
 */
export interface ScaleTarget {
  /** Current replicas of the dataset's stream workload. */
  replicas(tenant: Tenant, dataset: Dataset): Promise<number>;
  scale(tenant: Tenant, dataset: Dataset, replicas: number): Promise<ScaleResult>;
}
