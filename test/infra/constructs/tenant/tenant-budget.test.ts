import { describe, expect, it } from 'vitest';
import { budgetTotals, tenantBudget } from '../../../../infra/constructs/tenant/tenant-budget';
import { JDBC_SINK, resources, seedTenant, withAgreement, withDataset } from '../../fixtures';

describe('tenantBudget', () => {
  it('sums batch and stream+sink at maxReplicas per dataset, not the provision Job (it runs in the platform namespace)', async () => {
    const tenant = withDataset(seedTenant('client_a'), { resources: resources('1', '1Gi', '2', '2Gi') });
    const items = tenantBudget(tenant);
    await expect(items.map((i) => [i.workload, i.pods])).toEqual([
      ['batch/speed-tracking-data', 1],
      ['stream/speed-tracking-data', 3],
      ['sink/speed-tracking-data', 3],
    ]);
    // 7 × 1/1Gi; limits 7 × 2/2Gi.
    await expect(JSON.parse(JSON.stringify(budgetTotals(items)))).toEqual({
      pods: 7,
      requests: { cpu: '7', memory: '7Gi' },
      limits: { cpu: '14', memory: '14Gi' },
      maxLimits: { cpu: '2', memory: '2Gi' },
    });
  });

  it('sums exactly past what a JavaScript number holds', async () => {
    const huge = withDataset(seedTenant('client_a'), { resources: resources('1', '1000000000000000001', '1', '1000000000000000001') });
    const memory = budgetTotals(tenantBudget(huge)).limits.memory;
    // 7 × (10^18 + 1): a double would round the last digit away
    await expect([memory.nanos, memory.text]).toEqual([7n * (10n ** 18n + 1n) * 10n ** 9n, '7000000000000000007']);
  });

  it('adds the Connect worker and its build pod', () => {
    const items = tenantBudget(withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK] }));
    expect(items.slice(-2).map((i) => i.workload)).toEqual(['connect', 'connect-build']);
  });
});
