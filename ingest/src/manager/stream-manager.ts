import type { Dataset, Tenant } from '../../../infra/tenant/types';
import { errorFields, type Logger } from '../log';
import type { DecisionRecord, ScaleDecision } from './decision';
import type { DecisionLog } from './decision-log';
import type { ScaleTarget } from './scale-target';

/**
 * mysimbdp-streamingestmanager: applies the monitor's decisions to a ScaleTarget, never outside the
 * agreement's stream.minReplicas..maxReplicas, and records every decision and its outcome.
 */
export class StreamManager {
  constructor(
    private readonly target: ScaleTarget,
    readonly log: DecisionLog,
    private readonly logger: Logger,
  ) {}

  replicas(tenant: Tenant, dataset: Dataset): Promise<number> {
    return this.target.replicas(tenant, dataset);
  }

  async apply(tenant: Tenant, dataset: Dataset, decision: ScaleDecision): Promise<DecisionRecord> {
    const { minReplicas, maxReplicas } = tenant.agreement.stream;
    const to = decision.action === 'alert' ? decision.from : Math.min(maxReplicas, Math.max(minReplicas, decision.to));
    let record: DecisionRecord = { time: new Date().toISOString(), ...decision, to, outcome: decision.action === 'alert' ? 'alerted' : 'applied' };
    if (decision.action !== 'alert') {
      try {
        const { skipped } = await this.target.scale(tenant, dataset, to);
        if (skipped.length > 0) record = { ...record, skipped };
      } catch (err) {
        record = { ...record, outcome: 'failed', error: String(errorFields(err).error) };
      }
    }
    const level = record.outcome === 'applied' ? 'info' : 'warn';
    this.logger[level]('stream decision', { ...record });
    await this.log.append(record);
    return record;
  }
}
