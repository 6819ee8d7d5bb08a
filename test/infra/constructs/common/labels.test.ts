import { describe, expect, it } from 'vitest';
import { tenantLabels, tenantSelector } from '../../../../infra/constructs/common/labels';
import { seedTenant } from '../../fixtures';

describe('labels', () => {
  it('labels tenant objects with the client id as is, the component and the dataset', () => {
    const tenant = seedTenant('client_a');
    expect(tenantLabels(tenant, 'sink', tenant.datasets[0])).toEqual({
      'app.kubernetes.io/name': 'mysimbdp-sink',
      'app.kubernetes.io/component': 'sink',
      'app.kubernetes.io/part-of': 'mysimbdp',
      'app.kubernetes.io/managed-by': 'mysimbdp',
      'mysimbdp.io/tenant': 'client_a',
      'mysimbdp.io/dataset': 'speed-tracking-data',
    });
    expect(tenantSelector(tenant, 'batch')).toEqual({ 'mysimbdp.io/tenant': 'client_a', 'app.kubernetes.io/component': 'batch' });
  });
});
