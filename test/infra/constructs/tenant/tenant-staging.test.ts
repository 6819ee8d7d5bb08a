import { describe, expect, it } from 'vitest';
import { TenantStaging } from '../../../../infra/constructs/tenant/tenant-staging';
import { one, render, renamed, seedTenant, testSettings, thrownMessage } from '../../fixtures';

describe('TenantStaging', () => {
  it("pre-binds a static NFS PV on <share>/<client> to the tenant's claim", () => {
    const objects = render((chart) => new TenantStaging(chart, 's', { tenant: seedTenant('client_a'), settings: testSettings({ storageClass: 'nfs', stagingSize: '5Gi' }) }));
    expect(one(objects, 'PersistentVolume')).toMatchObject({
      metadata: { name: 'mysimbdp-staging-client-a' },
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'nfs',
        nfs: { server: 'nfs.test', path: '/exports/staging/client_a' },
        claimRef: { namespace: 'mysimbdp-client-a', name: 'staging' },
      },
    });
    expect(one(objects, 'PersistentVolumeClaim')).toMatchObject({
      metadata: { name: 'staging', namespace: 'mysimbdp-client-a' },
      spec: { volumeName: 'mysimbdp-staging-client-a', storageClassName: 'nfs', resources: { requests: { storage: '5Gi' } } },
    });
  });

  it('uses the share root when the export is /', () => {
    const objects = render((chart) => new TenantStaging(chart, 's', { tenant: seedTenant('client_b'), settings: testSettings({ stagingPath: '/' }) }));
    expect((one(objects, 'PersistentVolume').spec as { nfs: { path: string } }).nfs.path).toBe('/client_b');
  });

  it('refuses a client id that is no safe folder name', () => {
    const tenant = renamed(seedTenant('client_a'), '../x', 'x');
    expect(thrownMessage(() => render((chart) => new TenantStaging(chart, 's', { tenant, settings: testSettings() })))).toBe(
      'tenant "../x": client id is not safe as a staging folder name',
    );
  });
});
