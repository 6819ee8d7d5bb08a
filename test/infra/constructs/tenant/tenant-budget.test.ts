import { describe, expect, it } from 'vitest';
import { budgetTotals, tenantBudget } from '../../../../infra/constructs/tenant/tenant-budget';
import { JDBC_SINK, resources, seedTenant, withAgreement, withDataset } from '../../fixtures';

describe('tenantBudget', () => {
  it('sums provision, batch and stream+sink at maxReplicas per dataset', () => {
    const tenant = withDataset(seedTenant('client_a'), { resources: resources('1', '1Gi', '2', '2Gi') });
    const items = tenantBudget(tenant);
    expect(items.map((i) => [i.workload, i.pods])).toEqual([
      ['provision', 1],
      ['batch/speed-tracking-data', 1],
      ['stream/speed-tracking-data', 3],
      ['sink/speed-tracking-data', 3],
    ]);
    // provision 250m/64Mi (agreement) + 7 × 1/1Gi; limits 500m/128Mi + 7 × 2/2Gi.
    expect(JSON.parse(JSON.stringify(budgetTotals(items)))).toEqual({
      pods: 8,
      requests: { cpu: '7250m', memory: '7232Mi' },
      limits: { cpu: '14500m', memory: '14464Mi' },
      maxLimits: { cpu: '2', memory: '2Gi' },
    });
  });

  it('sums exactly past what a JavaScript number holds', async () => {
    const huge = withDataset(seedTenant('client_a'), { resources: resources('1', '1e18', '1', '1e18') });
    const memory = budgetTotals(tenantBudget(huge)).limits.memory;
    expect([memory.nanos, memory.text]).toEqual([(7n * 10n ** 18n + 128n * 2n ** 20n) * 10n ** 9n, '6835937500131072Ki']);
  });

  it('adds the Connect worker and its build pod', () => {
    const items = tenantBudget(withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK] }));
    expect(items.slice(-2).map((i) => i.workload)).toEqual(['connect', 'connect-build']);
  });
});
