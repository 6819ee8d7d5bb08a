import type { k8s } from 'cdk8s-plus-27';
import type { Tenant } from '../../tenant/types';
import { tenantConfigMapName } from '../common/naming';
import { tenantFileKey, tenantFilePaths } from '../tenant/runtime-pod';

/**
 * One projected volume with every tenant's files at `<client>/…` (the runtime's TENANTS_DIR layout),
 * for the platform's API and monitor. Each source is the tenant's own ConfigMap copy in the platform
 * namespace (a ConfigMap cannot be mounted across namespaces), which belongs to the tenant's
 * manifests: editing a tenant file changes only that tenant's objects; this volume changes only
 * when tenants or their dataset files are added or removed.
 */
export function tenantFilesVolume(name: string, tenants: readonly Tenant[]): k8s.Volume {
  return {
    name,
    projected: {
      sources: [...tenants]
        .sort((a, b) => (a.client < b.client ? -1 : a.client > b.client ? 1 : 0))
        .map((tenant) => ({
          configMap: {
            name: tenantConfigMapName(tenant),
            items: tenantFilePaths(tenant).map((p) => ({ key: tenantFileKey(p), path: `${tenant.client}/${p}` })),
          },
        })),
    },
  };
}
