import { describe, expect, it } from 'vitest';
import { tenantFilesVolume } from '../../../../infra/constructs/platform/tenant-files-volume';
import { seedTenant, seedTenants, withDataset } from '../../fixtures';

describe('tenantFilesVolume', () => {
  it('projects each tenant ConfigMap under <client>/ in client order', async () => {
    expect(tenantFilesVolume('tenants', [...seedTenants()].reverse())).toEqual({
      name: 'tenants',
      projected: {
        sources: [
          { configMap: { name: 'client-a-tenant', items: [{ key: 'agreement.json', path: 'client_a/agreement.json' }, { key: 'dataset.json', path: 'client_a/dataset.json' }] } },
          { configMap: { name: 'client-b-tenant', items: [{ key: 'agreement.json', path: 'client_b/agreement.json' }, { key: 'dataset.json', path: 'client_b/dataset.json' }] } },
        ],
      },
    });
  });

  it('maps datasets/<name>.json files back to their folder', async () => {
    const a = seedTenant('client_a');
    const tenant = withDataset(a, { file: `${a.dir}/datasets/extra.json`, stagingSubdir: 'extra' });
    const items = tenantFilesVolume('t', [tenant]).projected?.sources?.[0]?.configMap?.items;
    expect(items).toEqual([
      { key: 'agreement.json', path: 'client_a/agreement.json' },
      { key: 'datasets__extra.json', path: 'client_a/datasets/extra.json' },
    ]);
  });
});
