import type { Dataset, Tenant } from '../../../infra/tenant/types';
import { NOTHING_SKIPPED, type ScaleResult, type ScaleTarget } from './scale-target';

/**
 * Scales nothing, only remembers the asked-for replicas (starting at the agreement's minReplicas):
 * for a monitor whose decisions should only be logged, and for tests.
 */
export class DryRunScaleTarget implements ScaleTarget {
  readonly #replicas = new Map<string, number>();

  async replicas(tenant: Tenant, dataset: Dataset): Promise<number> {
    return this.#replicas.get(`${tenant.client}/${dataset.name}`) ?? tenant.agreement.stream.minReplicas;
  }

  async scale(tenant: Tenant, dataset: Dataset, replicas: number): Promise<ScaleResult> {
    this.#replicas.set(`${tenant.client}/${dataset.name}`, replicas);
    return NOTHING_SKIPPED;
  }
}
