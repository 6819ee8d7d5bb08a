import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { InputError } from '../../errors';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { STAGING_CLAIM, stagingVolumeName, tenantNamespace } from '../common/naming';

export interface TenantStagingProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
}

/**
 * The tenant's staging folder: a static NFS PersistentVolume on `<share>/<client>`, pre-bound to the
 * claim `staging` in the tenant namespace (a PVC cannot be mounted across namespaces, so each tenant
 * gets its own PV on the shared export). Pods see only their own folder. Retain: deleting a tenant
 * never deletes its files.
 */
export class TenantStaging extends Construct {
  constructor(scope: Construct, id: string, props: TenantStagingProps) {
    super(scope, id);
    const { tenant, settings } = props;
    if (!/^[A-Za-z0-9_-]+$/.test(tenant.client)) {
      throw new InputError(`tenant "${tenant.client}": client id is not safe as a staging folder name`);
    }
    const namespace = tenantNamespace(settings, tenant);
    const labels = tenantLabels(tenant, 'staging');
    const size = k8s.Quantity.fromString(settings.staging.size.text);
    const volumeName = stagingVolumeName(settings, tenant);
    new k8s.KubePersistentVolume(this, 'volume', {
      metadata: { name: volumeName, labels },
      spec: {
        capacity: { storage: size },
        accessModes: ['ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: settings.storageClass,
        mountOptions: ['nfsvers=4.1', 'hard'],
        nfs: { server: settings.staging.server, path: `${settings.staging.path === '/' ? '' : settings.staging.path}/${tenant.client}` },
        claimRef: { namespace, name: STAGING_CLAIM },
      },
    });
    new k8s.KubePersistentVolumeClaim(this, 'claim', {
      metadata: { name: STAGING_CLAIM, namespace, labels },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName: settings.storageClass,
        volumeName,
        resources: { requests: { storage: size } },
      },
    });
  }
}
