import type { Dataset, Tenant } from '../../../infra/tenant/types';

/**
 * Where a tenant dataset's stream instances run and how many: Kubernetes Deployments
 * (kubernetes-scale-target.ts) or local processes (process-pool.ts).
 */
export interface ScaleTarget {
  /** Current replicas of the dataset's stream workload. */
  replicas(tenant: Tenant, dataset: Dataset): Promise<number>;
  scale(tenant: Tenant, dataset: Dataset, replicas: number): Promise<void>;
}
