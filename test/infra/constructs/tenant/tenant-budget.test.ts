import { describe, expect, it } from 'vitest';
import { budgetTotals, tenantBudget } from '../../../../infra/constructs/tenant/tenant-budget';
import { JDBC_SINK, seedTenant, withAgreement, withDataset } from '../../fixtures';

describe('tenantBudget', () => {
  it('sums provision, batch and stream+sink at maxReplicas per dataset', () => {
    const tenant = withDataset(seedTenant('client_a'), { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } });
    const items = tenantBudget(tenant);
    expect(items.map((i) => [i.workload, i.pods])).toEqual([
      ['provision', 1],
      ['batch/speed-tracking-data', 1],
      ['stream/speed-tracking-data', 3],
      ['sink/speed-tracking-data', 3],
    ]);
    // provision 250m/64Mi (agreement) + 7 × 1/1Gi; limits 500m/128Mi + 7 × 2/2Gi.
    expect(budgetTotals(items)).toEqual({
      pods: 8,
      requests: { cpuMillis: 7250, memoryBytes: 7 * 2 ** 30 + 64 * 2 ** 20 },
      limits: { cpuMillis: 14_500, memoryBytes: 14 * 2 ** 30 + 128 * 2 ** 20 },
      maxLimits: { cpuMillis: 2000, memoryBytes: 2 * 2 ** 30 },
    });
  });

  it('adds the Connect worker and its build pod', () => {
    const items = tenantBudget(withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK] }));
    expect(items.slice(-2).map((i) => i.workload)).toEqual(['connect', 'connect-build']);
  });
});
