import { describe, expect, it } from 'vitest';
import { StagingVolume, type StagingVolumeProps } from '../../../../infra/constructs/platform/staging-volume';
import { Quantity } from '../../../../infra/tenant/rules/quantity';
import { one, render, thrownMessage } from '../../fixtures';
import { manifestsErrors } from '../../manifest-validation';

const BASE: StagingVolumeProps = { volumeName: 'mysimbdp-staging-platform', namespace: 'mysimbdp-platform', server: 'nfs.test', path: '/exports/staging', size: Quantity.memory('5Gi') };
const build = (props: Partial<StagingVolumeProps> = {}) => render((chart) => new StagingVolume(chart, 'staging', { ...BASE, ...props }));

describe('StagingVolume', () => {
  it('makes a static NFS PV at the share root pre-bound to the claim, and the claim bound to it', async () => {
    const objects = build({ storageClass: 'standard' });
    expect(manifestsErrors(objects)).toEqual([]);
    expect(one(objects, 'PersistentVolume').spec).toEqual({
      capacity: { storage: '5Gi' },
      accessModes: ['ReadWriteMany'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'standard',
      nfs: { server: 'nfs.test', path: '/exports/staging' },
      claimRef: { namespace: 'mysimbdp-platform', name: 'staging' },
      mountOptions: ['nfsvers=4.1', 'hard'],
    });
    const claim = one(objects, 'PersistentVolumeClaim');
    expect(claim.metadata).toMatchObject({ name: 'staging', namespace: 'mysimbdp-platform' });
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteMany'], storageClassName: 'standard', volumeName: 'mysimbdp-staging-platform', resources: { requests: { storage: '5Gi' } } });
  });

  it('defaults to no storage class and the claim name `staging`', async () => {
    const objects = build({ claimName: undefined });
    expect((one(objects, 'PersistentVolume').spec as any).storageClassName).toBe('');
    expect(one(objects, 'PersistentVolumeClaim').metadata.name).toBe('staging');
  });

  it('rejects bad props with messages naming field and value', async () => {
    expect(thrownMessage(() => build({ path: 'exports' }))).toBe('StagingVolume: path must be absolute, got "exports"');
    expect(thrownMessage(() => build({ server: '' }))).toBe('StagingVolume: server must not be empty');
    expect(thrownMessage(() => build({ volumeName: 'Staging' }))).toBe(`StagingVolume: volumeName must be a DNS label (a-z, 0-9, '-', at most 63), got "Staging"`);
    expect(thrownMessage(() => build({ namespace: 'ns_1' }))).toBe(`StagingVolume: namespace must be a DNS label (a-z, 0-9, '-', at most 63), got "ns_1"`);
    expect(thrownMessage(() => build({ claimName: '-x' }))).toBe(`StagingVolume: claimName must be a DNS label (a-z, 0-9, '-', at most 63), got "-x"`);
  });
});
