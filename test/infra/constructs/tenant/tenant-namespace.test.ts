import { describe, expect, it } from 'vitest';
import { TenantNamespace } from '../../../../infra/constructs/tenant/tenant-namespace';
import { JDBC_SINK, one, render, renamed, resources, seedTenant, testSettings, thrownMessage, withAgreement, withDataset } from '../../fixtures';

const settings = testSettings();

describe('TenantNamespace', () => {
  it('makes the namespace, a quota summed over the tenant budget, limits and a token-less service account', async () => {
    const tenant = seedTenant('client_b'); // requests 500m/128Mi, limits 1/256Mi; maxReplicas 3
    const objects = render((chart) => new TenantNamespace(chart, 'ns', { tenant, settings }));
    expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange', 'ServiceAccount']);
    expect(one(objects, 'Namespace').metadata.labels).toMatchObject({ 'mysimbdp.io/tenant': 'client_b', 'pod-security.kubernetes.io/enforce': 'restricted' });
    // batch 1 + stream 3 + sink 3 = 7 pods of the same size (the provision Job runs in the platform namespace).
    await expect(one(objects, 'ResourceQuota').spec).toEqual({
      hard: {
        'requests.cpu': '3500m',
        'requests.memory': '896Mi',
        'limits.cpu': '7',
        'limits.memory': '1792Mi',
        pods: '7',
        persistentvolumeclaims: '1',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    });
    expect(one(objects, 'LimitRange').spec).toEqual({
      limits: [{ type: 'Container', default: { cpu: '1', memory: '256Mi' }, defaultRequest: { cpu: '500m', memory: '128Mi' }, max: { cpu: '1', memory: '256Mi' } }],
    });
    expect(one(objects, 'ServiceAccount')).toMatchObject({ metadata: { name: 'client-b', namespace: 'mysimbdp-client-b' }, automountServiceAccountToken: false });
  });

  it('adds the Connect worker to the budget and relaxes pod security to baseline for its image build', async () => {
    const tenant = withAgreement(seedTenant('client_b'), { connectors: [JDBC_SINK] });
    const objects = render((chart) => new TenantNamespace(chart, 'ns', { tenant, settings }));
    expect(one(objects, 'Namespace').metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('baseline');
    await expect((one(objects, 'ResourceQuota').spec as { hard: Record<string, string> }).hard).toMatchObject({ pods: '9', 'limits.memory': '4864Mi', 'limits.cpu': '9' });
    expect((one(objects, 'LimitRange').spec as { limits: { max: unknown }[] }).limits[0]!.max).toEqual({ cpu: '1', memory: '2Gi' });
  });

  it("keeps the limit range's max at least the agreement's size, its default, when every dataset runs smaller", async () => {
    const tenant = withDataset(seedTenant('client_b'), { resources: resources('100m', '64Mi', '200m', '128Mi') }); // agreement limits 1/256Mi
    const objects = render((chart) => new TenantNamespace(chart, 'ns', { tenant, settings }));
    await expect((one(objects, 'LimitRange').spec as { limits: { default: unknown; max: unknown }[] }).limits[0]).toMatchObject({
      default: { cpu: '1', memory: '256Mi' },
      max: { cpu: '1', memory: '256Mi' },
    });
  });

  it('refuses a namespace name over 63 characters', () => {
    const long = 'c'.repeat(60);
    const tenant = renamed(seedTenant('client_a'), long, long);
    expect(thrownMessage(() => render((chart) => new TenantNamespace(chart, 'ns', { tenant, settings })))).toBe(
      `tenant "${long}": namespace "mysimbdp-${long}" is longer than 63 characters`,
    );
  });
});
