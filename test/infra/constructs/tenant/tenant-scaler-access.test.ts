import { describe, expect, it } from 'vitest';
import { TenantScalerAccess } from '../../../../infra/constructs/tenant/tenant-scaler-access';
import { one, render, seedTenant, testSettings } from '../../fixtures';
import { manifestsErrors } from '../../manifest-validation';

describe('TenantScalerAccess', () => {
  it("lets only the platform's monitor get and patch this tenant's stream and sink Deployments", () => {
    const objects = render((chart) => new TenantScalerAccess(chart, 's', { tenant: seedTenant('client_a'), settings: testSettings() }));
    expect(manifestsErrors(objects)).toEqual([]);
    expect(one(objects, 'Role')).toMatchObject({
      metadata: { name: 'mysimbdp-scaler', namespace: 'mysimbdp-client-a', labels: { 'mysimbdp.io/tenant': 'client_a' } },
      rules: [
        {
          apiGroups: ['apps'],
          resources: ['deployments'],
          resourceNames: ['client-a-speed-tracking-data-stream', 'client-a-speed-tracking-data-sink'],
          verbs: ['get', 'patch'],
        },
      ],
    });
    expect(one(objects, 'RoleBinding')).toMatchObject({
      metadata: { name: 'mysimbdp-scaler', namespace: 'mysimbdp-client-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'mysimbdp-scaler' },
      subjects: [{ kind: 'ServiceAccount', name: 'mysimbdp-monitor', namespace: 'mysimbdp-platform' }],
    });
  });

  it('leaves out the sink Deployments on stacks with KEDA, whose ScaledObjects scale them', () => {
    const objects = render((chart) => new TenantScalerAccess(chart, 's', { tenant: seedTenant('client_a'), settings: testSettings({ installKeda: 'true' }) }));
    expect(manifestsErrors(objects)).toEqual([]);
    expect((one(objects, 'Role').rules as { resourceNames: string[] }[])[0]?.resourceNames).toEqual(['client-a-speed-tracking-data-stream']);
  });
});
