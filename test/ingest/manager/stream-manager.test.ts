import { describe, expect, it } from 'vitest';
import type { Tenant } from '../../../infra/tenant/types';
import { EngineError } from '../../../infra/errors';
import { createLogger } from '../../../ingest/src/log';
import { DecisionLog } from '../../../ingest/src/manager/decision-log';
import { DryRunScaleTarget } from '../../../ingest/src/manager/dry-run-scale-target';
import { StreamManager } from '../../../ingest/src/manager/stream-manager';
import { clientA, tenantOf } from '../helpers/datasets';

const base = tenantOf('client_a', [clientA()]);
const tenant: Tenant = { ...base, agreement: { ...base.agreement, stream: { ...base.agreement.stream, minReplicas: 2, maxReplicas: 4 } } };
const dataset = tenant.datasets[0]!;
const quiet = createLogger({}, { write: () => undefined });
const decision = { tenant: 'client_a', dataset: dataset.name, reason: 'test' };

describe('StreamManager', () => {
  it('clamps to the agreement min/max and records every decision', async () => {
    const target = new DryRunScaleTarget();
    const manager = new StreamManager(target, new DecisionLog(), quiet);
    expect(await manager.replicas(tenant, dataset)).toBe(2);
    expect(await manager.apply(tenant, dataset, { ...decision, action: 'scale_up', from: 2, to: 9 })).toMatchObject({ to: 4, outcome: 'applied' });
    expect(await target.replicas(tenant, dataset)).toBe(4);
    expect(await manager.apply(tenant, dataset, { ...decision, action: 'scale_down', from: 4, to: 0 })).toMatchObject({ to: 2, outcome: 'applied' });
    expect(await manager.apply(tenant, dataset, { ...decision, action: 'alert', from: 2, to: 2 })).toMatchObject({ outcome: 'alerted' });
    expect(manager.log.recent().map((d) => d.action)).toEqual(['alert', 'scale_down', 'scale_up']);
    expect(manager.log.recent('client_b')).toEqual([]);
  });

  it('records the workloads the target left alone, and nothing when it left none', async () => {
    const skipped = ["sink deployment ns/x-sink not scaled: KEDA's ScaledObject owns its replicas (sink scaler keda)"];
    const keda = { replicas: async () => 2, scale: async () => ({ skipped }) };
    const manager = new StreamManager(keda, new DecisionLog(), quiet);
    expect(await manager.apply(tenant, dataset, { ...decision, action: 'scale_up', from: 2, to: 3 })).toMatchObject({ to: 3, outcome: 'applied', skipped });
    expect(manager.log.recent()[0]?.skipped).toEqual(skipped);
    const plain = new StreamManager(new DryRunScaleTarget(), new DecisionLog(), quiet);
    expect(await plain.apply(tenant, dataset, { ...decision, action: 'scale_up', from: 2, to: 3 })).not.toHaveProperty('skipped');
  });

  it('records a failed scale with the error instead of throwing', async () => {
    const failing = { replicas: async () => 2, scale: async () => Promise.reject(new EngineError('Kubernetes API: cannot scale deployment x (HTTP 403): forbidden')) };
    const manager = new StreamManager(failing, new DecisionLog(), quiet);
    expect(await manager.apply(tenant, dataset, { ...decision, action: 'scale_up', from: 2, to: 3 })).toMatchObject({ outcome: 'failed', error: 'Kubernetes API: cannot scale deployment x (HTTP 403): forbidden' });
  });
});
